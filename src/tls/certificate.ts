// The daemon's TLS certificate: a self-signed one generated once and kept (0600) in a directory,
// renewed when it stops covering the host's names/addresses or nears expiry; or the user's own.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { domainToASCII } from "node:url";
import type { Logger } from "../log.js";
import { writeFileAtomicSync } from "../atomic-file.js";
import { CompanionError } from "../protocol/errors.js";
import { leafCertificatePem } from "./fingerprint.js";

const DAY_MS = 86_400_000;

/** File names inside EnsureCertificateOptions.dir. */
export const CERT_FILE = "tls-cert.pem";
export const KEY_FILE = "tls-key.pem";

export interface TlsCertificate {
  /** PEM of the certificate (for a user certificate: the whole file, chain included). */
  cert: string;
  /** PEM of the private key. */
  key: string;
  /** SHA-256 fingerprint of the (leaf) certificate, "AB:CD:..." as X509Certificate.fingerprint256. */
  fingerprint256: string;
  /** True when this call created a new certificate. */
  generated: boolean;
  /** Where cert and key are on disk. */
  paths: { cert: string; key: string };
  /** Expiry, ms since epoch. */
  validTo: number;
  /** The DNS names and IP addresses the certificate names (subjectAltName). */
  altNames: string[];
}

export interface EnsureCertificateOptions {
  /** Directory holding tls-cert.pem and tls-key.pem (created 0700 if missing), e.g. `<config dir>/tls`. */
  dir: string;
  /** Host names to cover, e.g. [os.hostname()]. Each also gets `<first label>.local`. */
  hostnames?: readonly string[];
  /** LAN addresses to cover (IPv4/IPv6). Loopback (127.0.0.1, ::1) is always covered. */
  addresses?: readonly string[];
  /** Clock in ms since epoch. Default Date.now. */
  now?: () => number;
  logger: Logger;
  /** Lifetime of a generated certificate, days. Default 365. */
  validityDays?: number;
  /** Regenerate when it expires within this many days. Default 30. */
  renewBeforeDays?: number;
}

const DNS_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** The SANs a certificate for these names must carry: localhost, loopback, each host and its .local, each address. */
export function wantedAltNames(hostnames: readonly string[] = [], addresses: readonly string[] = []): { dns: string[]; ips: string[] } {
  const dns = new Set<string>(["localhost"]);
  for (const raw of hostnames) {
    // Punycode for non-ASCII names ("Büro-PC" -> "xn--bro-pc-3ya"); names that are still not DNS
    // names are left out rather than written into a certificate that never matches them.
    const host = domainToASCII(raw.trim().toLowerCase().replace(/\.$/, ""));
    if (!DNS_NAME.test(host) || isIP(host)) continue;
    dns.add(host);
    dns.add(`${host.split(".")[0]}.local`);
  }
  const ips = new Set<string>(["127.0.0.1", "::1"]);
  for (const raw of addresses) {
    const ip = raw.trim().replace(/^\[|\]$/g, "");
    // Zone ids (fe80::1%en0) cannot appear in a certificate.
    if (isIP(ip) && !ip.includes("%")) ips.add(ip);
  }
  return { dns: [...dns], ips: [...ips] };
}

function describe(x509: X509Certificate): { validFrom: number; validTo: number; altNames: string[] } {
  const altNames = (x509.subjectAltName ?? "")
    .split(", ")
    .map((s) => s.replace(/^(DNS|IP Address):/, ""))
    .filter(Boolean);
  return { validFrom: Date.parse(x509.validFrom), validTo: Date.parse(x509.validTo), altNames };
}

/** Why an existing certificate cannot be kept, or null when it can. */
function reasonToRenew(x509: X509Certificate, keyPem: string, want: { dns: string[]; ips: string[] }, now: number, renewBeforeMs: number): string | null {
  if (!x509.checkPrivateKey(createPrivateKey(keyPem))) return "the key does not match the certificate";
  const { validFrom, validTo } = describe(x509);
  if (!(validFrom <= now)) return "it is not valid yet (clock moved back?)";
  if (!(validTo - now > renewBeforeMs)) return "it expires soon";
  // Names are compared as written (checkHost would reject some valid host names and renew forever).
  const names = new Set(describe(x509).altNames.map((n) => n.toLowerCase()));
  for (const name of want.dns) if (!names.has(name)) return `it does not cover ${name}`;
  for (const ip of want.ips) if (x509.checkIP(ip) === undefined) return `it does not cover ${ip}`;
  return null;
}

async function generateCertificate(want: { dns: string[]; ips: string[] }, now: number, validityDays: number) {
  // selfsigned pulls in @peculiar/x509 (about half a second to load): only when a certificate is made.
  const { generate } = await import("selfsigned");
  const commonName = want.dns.find((d) => d !== "localhost") ?? "localhost";
  return generate([{ name: "commonName", value: commonName }, { name: "organizationName", value: "claude-companion (self-signed)" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    // A day of slack for phones whose clock is a little behind.
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + validityDays * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [...want.dns.map((value) => ({ type: 2 as const, value })), ...want.ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
}

/**
 * Returns the self-signed certificate in `dir`, generating it on first use and whenever it no longer
 * covers the wanted names/addresses, is not valid at `now`, expires within renewBeforeDays, or cannot
 * be read. Key and certificate files are 0600 whatever the umask. Reusing keeps the fingerprint
 * stable across restarts, so pinned phones keep working.
 */
export async function ensureCertificate(options: EnsureCertificateOptions): Promise<TlsCertificate> {
  const log = options.logger.child({ room: "tls" });
  const now = (options.now ?? Date.now)();
  const validityDays = options.validityDays ?? 365;
  const renewBeforeMs = (options.renewBeforeDays ?? 30) * DAY_MS;
  const want = wantedAltNames(options.hostnames, options.addresses);
  const paths = { cert: join(options.dir, CERT_FILE), key: join(options.dir, KEY_FILE) };

  if (existsSync(paths.cert) && existsSync(paths.key)) {
    let reason: string | null;
    try {
      const cert = readFileSync(paths.cert, "utf8");
      const key = readFileSync(paths.key, "utf8");
      const x509 = new X509Certificate(leafCertificatePem(cert));
      reason = reasonToRenew(x509, key, want, now, renewBeforeMs);
      if (reason === null) {
        // Older files or a hand edit may have looser modes: tighten them on every start.
        chmodSync(paths.key, 0o600);
        chmodSync(paths.cert, 0o600);
        const info = describe(x509);
        return { cert, key, fingerprint256: x509.fingerprint256, generated: false, paths, validTo: info.validTo, altNames: info.altNames };
      }
    } catch (e) {
      reason = `it cannot be read (${(e as Error).message})`;
    }
    log.info({ reason, path: paths.cert }, "Renewing the self-signed TLS certificate");
  }

  const pems = await generateCertificate(want, now, validityDays);
  // Key first: a crash between the two writes leaves a mismatch, which the next start repairs.
  writeFileAtomicSync(paths.key, pems.private, 0o600);
  writeFileAtomicSync(paths.cert, pems.cert, 0o600);
  const x509 = new X509Certificate(pems.cert);
  const info = describe(x509);
  log.info({ fingerprint256: x509.fingerprint256, altNames: info.altNames, validTo: new Date(info.validTo).toISOString() }, "Generated a self-signed TLS certificate");
  return { cert: pems.cert, key: pems.private, fingerprint256: x509.fingerprint256, generated: true, paths, validTo: info.validTo, altNames: info.altNames };
}

export interface LoadUserCertificateOptions {
  /** Warned about (not refused) when the certificate expires within renewBeforeDays. */
  logger?: Logger;
  now?: () => number;
  renewBeforeDays?: number;
}

/**
 * Loads the user's own certificate and key (--tls-cert/--tls-key, e.g. a Tailscale certificate).
 * The certificate file may hold a chain; its first certificate is the leaf. Throws CompanionError
 * TLS_CERTIFICATE_INVALID when a file cannot be read or parsed, or the key does not match.
 */
export async function loadUserCertificate(certPath: string, keyPath: string, options: LoadUserCertificateOptions = {}): Promise<TlsCertificate> {
  const fail = (reason: string): never => {
    throw new CompanionError("TLS_CERTIFICATE_INVALID", { reason }, { certPath, keyPath });
  };
  const read = async (path: string, what: string): Promise<string> => {
    try {
      return await readFile(path, "utf8");
    } catch (e) {
      return fail(`cannot read the ${what} file '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  const cert = await read(certPath, "certificate");
  const key = await read(keyPath, "key");
  let x509: X509Certificate | undefined;
  try {
    x509 = new X509Certificate(leafCertificatePem(cert));
  } catch {
    fail(`'${certPath}' is not a PEM certificate`);
  }
  let keyObject: ReturnType<typeof createPrivateKey> | undefined;
  try {
    keyObject = createPrivateKey(key);
  } catch {
    fail(`'${keyPath}' is not an unencrypted PEM private key`);
  }
  if (!x509 || !keyObject || !x509.checkPrivateKey(keyObject)) return fail(`the key '${keyPath}' does not belong to the certificate '${certPath}'`);
  const info = describe(x509);
  const now = (options.now ?? Date.now)();
  const renewBeforeMs = (options.renewBeforeDays ?? 30) * DAY_MS;
  if (info.validTo <= now) {
    options.logger?.child({ room: "tls" }).warn({ path: certPath, validTo: x509.validTo }, "The TLS certificate has expired; clients will refuse it");
  } else if (info.validTo - now <= renewBeforeMs) {
    options.logger?.child({ room: "tls" }).warn({ path: certPath, validTo: x509.validTo }, "The TLS certificate expires soon");
  }
  return { cert, key, fingerprint256: x509.fingerprint256, generated: false, paths: { cert: certPath, key: keyPath }, validTo: info.validTo, altNames: info.altNames };
}
