// Network addresses for the banner, the QR code and /api/info.
import { networkInterfaces } from "node:os";

/** Non-internal IPv4 addresses, in interface order. */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) out.push(a.address);
  }
  return out;
}

/** The addresses a daemon bound to `host` can be reached at from the LAN: every LAN address for a wildcard, else `host`. */
export function listenAddresses(host: string): string[] {
  return host === "0.0.0.0" || host === "::" ? lanAddresses() : [host];
}

/** The address the CLI on this machine uses to reach a daemon bound to `host`. */
export function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "localhost") return "127.0.0.1";
  if (host === "::" || host === "::1") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export function baseUrl(protocol: "http" | "https", host: string, port: number): string {
  return `${protocol}://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
}
