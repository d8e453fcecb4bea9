// The one resolution of the master token, for the CLI and the daemon: AUTH_TOKEN when set, else the stored one.
import type { ResolvedConfig } from "./resolve.js";
import type { ConfigStore } from "./store.js";

export interface MasterToken {
  /** The token the daemon accepts (never log it). */
  readonly token: string;
  /** True when it comes from AUTH_TOKEN: then it cannot be rotated, only the variable changed. */
  readonly fromEnv: boolean;
}

export function resolveMasterToken(config: Pick<ResolvedConfig, "authToken">, store: Pick<ConfigStore, "ensureToken">): MasterToken {
  if (config.authToken) return { token: config.authToken, fromEnv: true };
  return { token: store.ensureToken(), fromEnv: false };
}
