// Config room: the only place that reads process.env.
import { defaultConfigDir } from "./paths.js";

export { configInvalid, SETTINGS, type SettingKey, type Settings } from "./settings.js";
export { resolveConfig, type ConfigInputs, type ResolvedConfig, type RawValue } from "./resolve.js";
// Not openConfigStore: conf loads only where the store is opened (src/config/store.js), never on `start`'s way to listening.
export type { ConfigStore } from "./store.js";
export { ensureConfigDir, readConfigFile, storedSettings } from "./config-file.js";
export { resolveMasterToken, type MasterToken } from "./master-token.js";
export { defaultConfigDir, CONFIG_FILE, STATE_FILE, LOG_FILE } from "./paths.js";

/** The process environment, read here and nowhere else. */
export function processEnv(): Record<string, string | undefined> {
  return { ...process.env };
}

/** The config dir: --config-dir > CLAUDE_COMPANION_CONFIG_DIR > the OS default. */
export function resolveConfigDir(flag: string | undefined, env: Record<string, string | undefined> = process.env): string {
  return flag || env.CLAUDE_COMPANION_CONFIG_DIR || defaultConfigDir(env);
}
