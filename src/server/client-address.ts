// Who the client is by address: the socket peer, or X-Forwarded-For when (and only when) the peer is a trusted proxy.
import { BlockList, isIP } from "node:net";
import type { IncomingMessage } from "node:http";

/** Where the resolved address is kept on the request, so every room reads the same one. */
const CLIENT_ADDRESS = Symbol("clientAddress");
type Tagged = { [CLIENT_ADDRESS]?: string; socket: { remoteAddress?: string | undefined } };

/** "::ffff:10.0.0.5" -> "10.0.0.5"; other values unchanged. */
export function plainAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** A predicate over IP addresses for a list of addresses and CIDR blocks (validated by the config). */
export function createTrustList(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split("/") as [string, string | undefined];
    const family = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return (address) => {
    const a = plainAddress(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? "ipv6" : "ipv4");
  };
}

/**
 * The client address of a request. With no trusted proxies it is the socket peer, whatever the headers
 * say. When the peer is trusted, X-Forwarded-For is read from the right (the hop the proxy appended),
 * skipping further trusted proxies; the first untrusted address is the client. A hop that is not an IP
 * address stops the walk at the last trusted one: a forged entry cannot pick another client's address.
 */
export function createClientAddressResolver(trustProxy: readonly string[]): (req: IncomingMessage) => string {
  const peerOf = (req: IncomingMessage) => plainAddress(req.socket.remoteAddress ?? "unknown");
  if (trustProxy.length === 0) return peerOf;
  const trusted = createTrustList(trustProxy);
  return (req) => {
    let address = peerOf(req);
    if (!trusted(address)) return address;
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : header ?? "").split(",").map((h) => h.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0 && trusted(address); i--) {
      const hop = plainAddress(hops[i]!);
      if (!isIP(hop)) break;
      address = hop;
    }
    return address;
  };
}

/** Resolves once per request (HTTP or upgrade) and keeps the answer on it. */
export function tagClientAddress(req: IncomingMessage, resolve: (req: IncomingMessage) => string): void {
  (req as unknown as Tagged)[CLIENT_ADDRESS] = resolve(req);
}

/** The address rate limits, auth-failure limits, socket limits and device "last address" use. */
export function clientAddress(req: { socket: { remoteAddress?: string | undefined } }): string {
  return (req as Tagged)[CLIENT_ADDRESS] ?? plainAddress(req.socket.remoteAddress ?? "unknown");
}
