// The pairing URL carried by the QR code (its parser, shared with the phone, is in protocol/pairing-link.ts). Pure.
// The token travels in the fragment: browsers never send it to a server, a log or a Referer.
import { isIP } from "node:net";
import { normalizeFingerprint } from "../protocol/constants.js";
import { PAIRING_TOKEN_SHAPE } from "../protocol/pairing-link.js";

export { parsePairingFragment, type PairingFragment } from "../protocol/pairing-link.js";

export interface PairingUrlInput {
  protocol: "http" | "https";
  /** A host name, IPv4 or IPv6 address (brackets optional). */
  host: string;
  /** 1..65535. */
  port: number;
  /** The one-time pairing token from PairingCodes.issue(). */
  pairingToken: string;
  /** SHA-256 certificate fingerprint when TLS is on (any case, with or without colons). */
  fingerprint?: string;
}

// encodeURIComponent, but ':' stays literal: it is legal in a fragment (RFC 3986 pchar) and keeps
// the fingerprint short and readable in the QR. '&', '=', '#' and '%' are still escaped.
function encodeFragmentValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ":");
}

function formatHost(host: string): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.includes("%")) {
    // Browsers (WHATWG URL) reject zone ids ("fe80::1%en0"), and a phone cannot use one anyway.
    throw new TypeError(`buildPairingUrl: '${host}' has an IPv6 zone id; use an address a phone can reach`);
  }
  if (isIP(bare) === 6) return `[${bare}]`;
  if (bare.includes(":")) throw new TypeError(`buildPairingUrl: invalid host '${host}'`);
  return bare;
}

/** `<protocol>://<host>:<port>/#pair=<token>[&fp=<fingerprint>]`. Throws TypeError/RangeError on bad input. */
export function buildPairingUrl(input: PairingUrlInput): string {
  const { protocol, host, port, pairingToken, fingerprint } = input;
  if (protocol !== "http" && protocol !== "https") throw new TypeError(`buildPairingUrl: protocol must be http or https`);
  if (typeof host !== "string" || host.trim() === "" || /[\s/?#@]/.test(host)) {
    throw new TypeError(`buildPairingUrl: invalid host '${String(host)}'`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`buildPairingUrl: invalid port ${String(port)}`);
  if (typeof pairingToken !== "string" || !PAIRING_TOKEN_SHAPE.test(pairingToken)) {
    throw new TypeError("buildPairingUrl: pairingToken must be 1..256 base64url characters");
  }
  let fragment = `pair=${encodeFragmentValue(pairingToken)}`;
  if (fingerprint !== undefined) {
    const fp = normalizeFingerprint(fingerprint);
    if (fp === null) throw new TypeError("buildPairingUrl: fingerprint is not a SHA-256 fingerprint");
    fragment += `&fp=${encodeFragmentValue(fp)}`;
  }
  const url = `${protocol}://${formatHost(host.trim())}:${port}/#${fragment}`;
  // The phone's browser must accept it: fail here rather than print a QR it cannot open.
  if (!URL.canParse(url)) throw new TypeError(`buildPairingUrl: '${host}' does not make a valid URL`);
  return url;
}
