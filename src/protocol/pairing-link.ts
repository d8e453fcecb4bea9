// The fragment of a pairing link (`#pair=<token>[&fp=<fingerprint>]`): one parser for the daemon, the phone and the tests. No zod.
import { normalizeFingerprint } from "./constants.js";

export interface PairingFragment {
  pairingToken: string;
  /** Normalised to Node's format "AB:CD:..." when present. */
  fingerprint?: string;
}

/** Tokens are base64url; anything else in a link is a corrupted or forged link. */
export const PAIRING_TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Reads `location.hash` (with or without the leading '#'). Returns null when there is no pairing
 * token, a value is malformed, a key repeats, or fp is not a SHA-256 fingerprint: a link that asks
 * for a pinned certificate must never be accepted without one. Unknown keys are ignored.
 */
export function parsePairingFragment(hash: string): PairingFragment | null {
  if (typeof hash !== "string") return null;
  const body = hash.startsWith("#") ? hash.slice(1) : hash;
  const values = new Map<string, string>();
  for (const part of body.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(part.slice(0, eq));
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return null;
    }
    if (values.has(key)) return null;
    values.set(key, value);
  }
  const pairingToken = values.get("pair");
  if (pairingToken === undefined || !PAIRING_TOKEN_SHAPE.test(pairingToken)) return null;
  const fp = values.get("fp");
  if (fp === undefined) return { pairingToken };
  const fingerprint = normalizeFingerprint(fp);
  return fingerprint === null ? null : { pairingToken, fingerprint };
}
