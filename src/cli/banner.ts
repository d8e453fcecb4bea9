// What `start`, `start -d` and `pair` print for humans: URLs, the Claude line and the pairing QR code.
import kleur from "kleur";
import { baseUrl } from "../daemon/addresses.js";
import { CompanionError } from "../protocol/errors.js";
import type { InfoResponse } from "../protocol/index.js";

/** The QR code as text (qrcode-terminal is loaded only when a code is printed). */
export async function renderQr(text: string): Promise<string> {
  const { default: qrcode } = await import("qrcode-terminal");
  return new Promise((resolve) => qrcode.generate(text, { small: true }, (qr: string) => resolve(qr)));
}

/**
 * HH:MM local time. Not toLocaleTimeString: in the daemon's process its Intl formatter maps ICU's locale data
 * and keeps ~6 MB of RSS for the one line of the banner (issue 20, docs/BENCHMARKS.md).
 */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** The one wording of a missing Claude Code CLI: the CLAUDE_UNAVAILABLE row's message and hint. */
export function claudeUnavailableLine(cliPath: string): string {
  const err = new CompanionError("CLAUDE_UNAVAILABLE", { path: cliPath });
  return `${err.message} Sessions cannot start until it is installed. ${err.hint ?? ""}`.trim();
}

export interface StartBannerInput {
  /** e.g. "0.1.0" or "0.1.0 (background, pid 123)". */
  version: string;
  claude: { available: boolean; version?: string | null; path?: string | null };
  protocol: "http" | "https";
  /** Addresses the daemon listens on (what /api/info reports as `addresses`). */
  hosts: readonly string[];
  port: number;
  /** The loopback URL the CLI on this machine uses. */
  loopbackUrl: string;
  pairing: { url: string; expiresAt?: number };
  fingerprint?: string | null | undefined;
  /** Tailscale as /api/info reports it; absent in old daemons. */
  tailscale?: InfoResponse["tailscale"] | undefined;
}

/** The tailnet part of the banner: its URLs (address and MagicDNS name), or one quiet line when it is not in use. */
export function tailnetLines(t: InfoResponse["tailscale"] | undefined, protocol: "http" | "https", port: number): string[] {
  if (!t) return [];
  const warning = t.warning ? [kleur.yellow(t.warning)] : [];
  if (t.state === "absent") return [...warning, kleur.gray("Tailscale: not installed (optional, to reach this computer from anywhere: see the README).")];
  if (t.state !== "running") return [...warning, kleur.gray(`Tailscale: ${t.state === "error" ? "not usable" : t.state}; the phone can use it once \`tailscale up\` connects this computer.`)];
  const urls = [...new Set([t.url, ...[t.address, t.dnsName].map((h) => (h ? baseUrl(t.url?.startsWith("https:") ? "https" : protocol, h, port) : null))])].filter(
    (u): u is string => Boolean(u),
  );
  return ["", kleur.bold("On your tailnet (Tailscale, from anywhere):"), ...urls.map((u) => `  ${kleur.cyan(u)}`), ...warning];
}

/** The URLs to show, each once: one per listening address (IPv6 in brackets), then the loopback URL. */
export function bannerUrls(protocol: "http" | "https", hosts: readonly string[], port: number, loopbackUrl: string): string[] {
  return [...new Set([...hosts.map((h) => baseUrl(protocol, h, port)), loopbackUrl])];
}

/** The banner of `start` and `start -d` (one function, so both show the same URLs). */
export async function formatStartBanner(b: StartBannerInput): Promise<string> {
  const claudeLine = b.claude.available
    ? kleur.green(`Claude Code ${b.claude.version ?? ""}`.trim())
    : kleur.yellow(claudeUnavailableLine(b.claude.path ?? "claude"));
  const lines = [
    "",
    `${kleur.bold("claude-companion")} ${kleur.gray(b.version)}`,
    claudeLine,
    "",
    kleur.bold("Open on your phone (same Wi-Fi):"),
    // The tailnet address is an interface of this machine too: it is listed with the tailnet, not the Wi-Fi.
    ...bannerUrls(b.protocol, b.hosts.filter((h) => h !== b.tailscale?.address), b.port, b.loopbackUrl).map((u) => `  ${kleur.cyan(u)}`),
    ...tailnetLines(b.tailscale, b.protocol, b.port),
    "",
    await renderQr(b.pairing.url),
    `Or open: ${kleur.cyan(b.pairing.url)}`,
    kleur.gray(`Scan to pair: one use${b.pairing.expiresAt ? `, valid until ${clockTime(b.pairing.expiresAt)}` : ""}. New code: claude-companion pair`),
    ...(b.fingerprint ? [kleur.gray(`TLS certificate fingerprint (SHA-256): ${b.fingerprint}`)] : []),
    "",
  ];
  return lines.join("\n");
}
