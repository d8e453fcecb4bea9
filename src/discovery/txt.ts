// The Bonjour TXT record and service names of the daemon. Pure. TXT is public on the LAN: it must
// never hold a secret, so exactly these keys are allowed and anything else is refused.
import { z } from "zod";
import { FINGERPRINT256_PATTERN } from "../protocol/constants.js";

/** DNS-SD service type: advertised as `_claude-companion._tcp.local`. */
export const SERVICE_TYPE = "claude-companion";
export const SERVICE_PROTOCOL = "tcp";

/** What the daemon publishes in TXT. */
export interface DiscoveryTxt {
  /** Package version, e.g. "0.1.0". */
  v: string;
  /** Wire protocol version (PROTOCOL_VERSION). */
  proto: number | string;
  /** Whether the port speaks TLS. Published as "1"/"0". */
  tls: boolean | 0 | 1;
  /** SHA-256 certificate fingerprint ("AB:CD:..."): required when tls is on, absent otherwise. */
  fp?: string;
  /** The stable random server id from the config store (not a secret). */
  id: string;
  /** How clients authenticate; always "token". */
  auth: "token";
}

/** The exact key set of the published TXT record. */
export const TXT_KEYS = ["v", "proto", "tls", "fp", "id", "auth"] as const;

const TxtSchema = z
  .strictObject({
    v: z.string().regex(/^[0-9A-Za-z.+-]{1,32}$/),
    proto: z.union([z.number().int().min(1).max(9999), z.string().regex(/^[1-9][0-9]{0,3}$/)]),
    tls: z.union([z.boolean(), z.literal(0), z.literal(1)]),
    fp: z.string().regex(FINGERPRINT256_PATTERN).optional(),
    id: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/),
    auth: z.literal("token"),
  })
  .refine((t) => Boolean(t.tls) === (t.fp !== undefined), { message: "fp is required when tls is on and not allowed otherwise", path: ["fp"] });

/**
 * Validates and encodes the TXT record as strings. Returns the reason instead when the input has
 * an unknown key (a possible secret), a missing key, or a malformed value.
 */
export function encodeTxt(txt: unknown): { ok: true; record: Record<string, string> } | { ok: false; reason: string } {
  const parsed = TxtSchema.safeParse(txt);
  if (!parsed.success) {
    // Name the keys only: a value might be the very secret that must not spread, even to a log.
    const issues = parsed.error.issues.map((i) => (i.code === "unrecognized_keys" ? `unexpected key(s) ${i.keys.join(", ")}` : `invalid ${i.path.join(".") || "record"}`));
    return { ok: false, reason: `TXT record refused: ${issues.join("; ")}` };
  }
  const t = parsed.data;
  const record: Record<string, string> = { v: t.v, proto: String(t.proto), tls: t.tls ? "1" : "0" };
  if (t.fp !== undefined) record.fp = t.fp;
  record.id = t.id;
  record.auth = t.auth;
  return { ok: true, record };
}

// A DNS label holds 63 bytes; " (claude-companion)" takes 19 of them.
const SUFFIX = ` (${SERVICE_TYPE})`;

/**
 * `<hostname> (claude-companion)`, with the host name's first label only ("mac.lan" -> "mac"):
 * bonjour-service turns dots in instance names into dashes, and browsers split names at dots.
 */
export function serviceInstanceName(hostname: string): string {
  let host = hostname.split(".")[0]?.trim() || "computer";
  while (Buffer.byteLength(host + SUFFIX) > 63) host = [...host].slice(0, -1).join("");
  return host + SUFFIX;
}

/** The SRV target: `<first label of the hostname>.local`. */
export function serviceHost(hostname: string): string {
  return `${hostname.split(".")[0]?.trim() || "computer"}.local`;
}
