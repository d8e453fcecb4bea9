// The daemon's TLS material: the user's certificate, or a self-signed one kept in the config dir.
import { hostname } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { ResolvedConfig } from "../config/index.js";
import { lanAddresses } from "./addresses.js";

export interface DaemonTls {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, "AB:CD:…". */
  fingerprint: string;
  selfSigned: boolean;
}

export async function loadTls(config: ResolvedConfig, logger: Logger): Promise<DaemonTls> {
  // Loaded lazily: most users run without TLS.
  const { ensureCertificate, loadUserCertificate } = await import("../tls/index.js");
  if (config.tlsCert) {
    const c = await loadUserCertificate(config.tlsCert, config.tlsKey, { logger });
    return { cert: c.cert, key: c.key, fingerprint: c.fingerprint256, selfSigned: false };
  }
  const c = await ensureCertificate({ dir: join(config.configDir, "tls"), hostnames: [hostname()], addresses: lanAddresses(), logger });
  return { cert: c.cert, key: c.key, fingerprint: c.fingerprint256, selfSigned: true };
}
