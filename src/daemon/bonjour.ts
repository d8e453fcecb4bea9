// The daemon's Bonjour advertisement: loaded lazily and not awaited (discovery is optional, its name probing takes about a second); its state for the banner and /api/info.
import type { Logger } from "pino";
import type { ResolvedConfig } from "../config/index.js";
import { VERSION } from "../version.js";

export interface BonjourState {
  enabled: boolean;
  published: boolean;
  warning: string | null;
}

export interface DaemonBonjour {
  state(): BonjourState;
  /** Unpublishes (after the advertisement, if any, has started). */
  close(): Promise<void>;
}

export interface DaemonBonjourOptions {
  config: ResolvedConfig;
  logger: Logger;
  port: number;
  serverId: string;
  tls: { fingerprint: string } | null;
}

export function advertiseDaemon(options: DaemonBonjourOptions): DaemonBonjour {
  const { config, port, tls } = options;
  let state: BonjourState = { enabled: config.enableBonjour, published: false, warning: null };
  let advertisement: Promise<{ close(): Promise<void> } | undefined> = Promise.resolve(undefined);
  if (config.enableBonjour && !["127.0.0.1", "::1", "localhost"].includes(config.host)) {
    advertisement = import("../discovery/index.js").then(async ({ advertise }) => {
      const ad = await advertise({
        port,
        txt: { v: VERSION, proto: 1, tls: Boolean(tls), ...(tls ? { fp: tls.fingerprint } : {}), id: options.serverId, auth: "token" },
        logger: options.logger,
      });
      state = { enabled: true, get published() { return ad.published; }, get warning() { return ad.warning ?? null; } };
      return ad;
    });
  } else if (config.enableBonjour) {
    state = { enabled: true, published: false, warning: "not advertised: the daemon listens on loopback only" };
  }
  return {
    state: () => state,
    close: async () => {
      await (await advertisement)?.close();
    },
  };
}
