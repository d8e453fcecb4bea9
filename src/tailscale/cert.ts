// The tailnet HTTPS certificate from `tailscale cert`, kept 0600 in the config dir, reused until it nears expiry.
import { X509Certificate, createPrivateKey, randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CompanionError } from "../protocol/errors.js";
import type { TailscaleRunner } from "./run.js";

const DAY_MS = 86_400_000;

export interface TailscaleCertificate {
  cert: string;
  key: string;
  /** ms since epoch. */
  validTo: number;
  /** True when `tailscale cert` was run by this call (first use, near expiry, wrong name, unreadable). */
  renewed: boolean;
  paths: { cert: string; key: string };
}

export interface EnsureTailscaleCertOptions {
  run: TailscaleRunner;
  /** `<config dir>/tailscale` (created 0700). */
  dir: string;
  /** The daemon's temporary folder (`<config dir>/tmp`, created 0700): `tailscale cert` writes there, then the files are moved into `dir`. */
  tempDir: string;
  /** The MagicDNS name, e.g. laptop.tail1234.ts.net. */
  name: string;
  now?: () => number;
  /** Ask for a new one when the kept one expires within this many days. Default 14 (Tailscale's are valid 90). */
  renewBeforeDays?: number;
  /** `tailscale cert` talks to Let's Encrypt: give it time. Default 60 000 ms. */
  timeoutMs?: number;
}

/** Why the kept certificate cannot be reused, or null. */
function reasonToRenew(certPem: string, keyPem: string, name: string, now: number, renewBeforeMs: number): string | null {
  const x509 = new X509Certificate(certPem);
  if (!x509.checkPrivateKey(createPrivateKey(keyPem))) return "the key does not match";
  if (x509.checkHost(name) === undefined) return `it does not name ${name}`;
  if (Date.parse(x509.validTo) - now <= renewBeforeMs) return "it expires soon";
  return null;
}

/**
 * Returns the certificate for `name` in `dir`, running `tailscale cert` when there is none, it is for
 * another name, it cannot be read or it expires within renewBeforeDays. Throws CompanionError
 * TAILSCALE_CERT_FAILED when `tailscale cert` fails (HTTPS not enabled, no permission, offline).
 */
export async function ensureTailscaleCertificate(options: EnsureTailscaleCertOptions): Promise<TailscaleCertificate> {
  const now = (options.now ?? Date.now)();
  const renewBeforeMs = (options.renewBeforeDays ?? 14) * DAY_MS;
  const paths = { cert: join(options.dir, `${options.name}.crt`), key: join(options.dir, `${options.name}.key`) };
  const read = () => ({ cert: readFileSync(paths.cert, "utf8"), key: readFileSync(paths.key, "utf8") });
  if (existsSync(paths.cert) && existsSync(paths.key)) {
    try {
      const kept = read();
      if (reasonToRenew(kept.cert, kept.key, options.name, now, renewBeforeMs) === null) {
        chmodSync(paths.cert, 0o600);
        chmodSync(paths.key, 0o600);
        return { ...kept, validTo: Date.parse(new X509Certificate(kept.cert).validTo), renewed: false, paths };
      }
    } catch {
      // Unreadable or not PEM: ask Tailscale for a fresh one below.
    }
  }
  for (const d of [options.dir, options.tempDir]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
    chmodSync(d, 0o700);
  }
  const stem = join(options.tempDir, `tailscale-cert-${randomBytes(6).toString("hex")}`);
  const tmp = { cert: `${stem}.crt`, key: `${stem}.key` };
  const r = await options.run(["cert", "--cert-file", tmp.cert, "--key-file", tmp.key, options.name], options.timeoutMs ?? 60_000);
  const fail = (reason: string): never => {
    rmSync(tmp.cert, { force: true });
    rmSync(tmp.key, { force: true });
    throw new CompanionError("TAILSCALE_CERT_FAILED", { name: options.name, reason });
  };
  if (r.code !== 0 || !existsSync(tmp.cert) || !existsSync(tmp.key)) {
    fail((r.stderr.trim().split("\n")[0] ?? "").slice(0, 300) || (r.timedOut ? "it did not finish in time" : `it exited ${r.code}`));
  }
  chmodSync(tmp.cert, 0o600);
  chmodSync(tmp.key, 0o600);
  const fresh = { cert: readFileSync(tmp.cert, "utf8"), key: readFileSync(tmp.key, "utf8") };
  try {
    const x509 = new X509Certificate(fresh.cert);
    if (!x509.checkPrivateKey(createPrivateKey(fresh.key))) fail("the key it wrote does not match the certificate");
  } catch (e) {
    if (e instanceof CompanionError) throw e;
    fail("it wrote files that are not a PEM certificate and key");
  }
  moveInto(tmp.key, paths.key);
  moveInto(tmp.cert, paths.cert);
  return { ...fresh, validTo: Date.parse(new X509Certificate(fresh.cert).validTo), renewed: true, paths };
}

/** Renames `from` to `to`; across file systems (a config dir with a mounted tmp) copies, 0600, then removes `from`. */
function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    copyFileSync(from, to);
    chmodSync(to, 0o600);
    rmSync(from, { force: true });
  }
}
