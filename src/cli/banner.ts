// What `start` and `pair` print for humans: URLs and the pairing QR code.
import kleur from "kleur";
import qrcode from "qrcode-terminal";

export function renderQr(text: string): Promise<string> {
  return new Promise((resolve) => qrcode.generate(text, { small: true }, (qr: string) => resolve(qr)));
}

export interface BannerInput {
  version: string;
  claudeLine: string;
  urls: string[];
  pairingUrl: string;
  qr: string;
  expiresAt?: number;
  fingerprint?: string | undefined;
}

export function formatBanner(b: BannerInput): string {
  const lines = [
    "",
    `${kleur.bold("claude-companion")} ${kleur.gray(b.version)}`,
    b.claudeLine,
    "",
    kleur.bold("Open on your phone (same Wi-Fi):"),
    ...b.urls.map((u) => `  ${kleur.cyan(u)}`),
    "",
    b.qr,
    `Or open: ${kleur.cyan(b.pairingUrl)}`,
    kleur.gray(`Scan to pair: one use${b.expiresAt ? `, valid until ${new Date(b.expiresAt).toLocaleTimeString()}` : ""}. New code: claude-companion pair`),
    ...(b.fingerprint ? [kleur.gray(`TLS certificate fingerprint (SHA-256): ${b.fingerprint}`)] : []),
    "",
  ];
  return lines.join("\n");
}
