// The daemon's reach on the tailnet: detection at start, the `tailscale cert` certificate for --tailscale, its renewal.
import { join } from "node:path";
import type { Logger } from "pino";
import type { ResolvedConfig } from "../config/index.js";
import { CompanionError } from "../protocol/errors.js";
import { daemonTempPath } from "./temp-dir.js";
import type { TailscaleCertificate, TailscaleRunner, TailscaleStatus } from "../tailscale/index.js";

/** Where to turn HTTPS certificates on for a tailnet (Tailscale's admin console, DNS page). */
export const TAILSCALE_HTTPS_HELP = "https://login.tailscale.com/admin/dns";

export interface DaemonTailnet {
  status: TailscaleStatus;
  /** The certificate from `tailscale cert` when --tailscale serves HTTPS on the MagicDNS name. */
  cert: TailscaleCertificate | null;
  /** Why --tailscale could not serve HTTPS (or reach the tailnet at all), for the banner; null when all is well. */
  warning: string | null;
}

export interface TailnetOptions {
  config: ResolvedConfig;
  logger: Logger;
  run: TailscaleRunner;
  status: TailscaleStatus;
}

/** With --tailscale and HTTPS enabled on the tailnet, gets (or reuses) the certificate; otherwise explains the fallback. */
export async function resolveTailnet(options: TailnetOptions): Promise<DaemonTailnet> {
  const { config, status } = options;
  const log = options.logger.child({ room: "tailscale" });
  if (!config.tailscale) return { status, cert: null, warning: null };
  if (status.state !== "running") {
    return { status, cert: null, warning: `--tailscale: Tailscale is ${status.detail}. Serving on the LAN only.` };
  }
  const fallback = status.ipv4 ? `Serving plain HTTP on the tailnet address ${status.ipv4}.` : "Serving plain HTTP.";
  if (config.tlsCert) return { status, cert: null, warning: "--tailscale: --tls-cert is set, so that certificate is served instead of Tailscale's." };
  if (!status.dnsName || !status.httpsEnabled) {
    return {
      status,
      cert: null,
      warning: `--tailscale: HTTPS certificates are not enabled on this tailnet. Enable them at ${TAILSCALE_HTTPS_HELP} (HTTPS Certificates, Enable), then restart. ${fallback}`,
    };
  }
  const { ensureTailscaleCertificate } = await import("../tailscale/index.js");
  try {
    const cert = await ensureTailscaleCertificate({ run: options.run, dir: join(config.configDir, "tailscale"), tempDir: daemonTempPath(config.configDir), name: status.dnsName });
    log.info({ name: status.dnsName, renewed: cert.renewed, validTo: new Date(cert.validTo).toISOString() }, cert.renewed ? "got a Tailscale certificate" : "reusing the Tailscale certificate");
    return { status, cert, warning: null };
  } catch (e) {
    if (!(e instanceof CompanionError)) throw e;
    log.warn({ name: status.dnsName, err: e.message }, "tailscale cert failed");
    return { status, cert: null, warning: `--tailscale: ${e.message} ${fallback}` };
  }
}

/**
 * Checks the certificate twice a day and renews it before expiry (Tailscale's last 90 days); `apply`
 * swaps it into the running HTTPS server. Returns a stop function. Failures are logged and retried.
 */
export function scheduleTailnetRenewal(
  tailnet: DaemonTailnet,
  options: { config: ResolvedConfig; logger: Logger; run: TailscaleRunner; apply(cert: TailscaleCertificate): void; everyMs?: number },
): () => void {
  const name = tailnet.status.dnsName;
  if (!tailnet.cert || !name) return () => {};
  const log = options.logger.child({ room: "tailscale" });
  let busy = false;
  const timer = setInterval(() => {
    // One renewal at a time: `tailscale cert` can take longer than the interval.
    if (busy) return;
    busy = true;
    void import("../tailscale/index.js")
      .then(({ ensureTailscaleCertificate }) => ensureTailscaleCertificate({ run: options.run, dir: join(options.config.configDir, "tailscale"), tempDir: daemonTempPath(options.config.configDir), name }))
      .then((cert) => {
        if (!cert.renewed) return;
        options.apply(cert);
        log.info({ name, validTo: new Date(cert.validTo).toISOString() }, "renewed the Tailscale certificate");
      })
      .catch((e: unknown) => log.warn({ name, err: (e as Error).message }, "could not renew the Tailscale certificate; will retry"))
      .finally(() => {
        busy = false;
      });
  }, options.everyMs ?? 12 * 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}
