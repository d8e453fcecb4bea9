// Shared CLI plumbing: one context per command (config, store, token, running daemon), talking to the daemon.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import kleur from "kleur";
import {
  processEnv,
  readConfigFile,
  resolveConfig,
  resolveConfigDir,
  resolveMasterToken,
  storedSettings,
  type ConfigStore,
  type MasterToken,
  type RawValue,
  type ResolvedConfig,
  type SettingKey,
} from "../config/index.js";
import { isCompanionError } from "../protocol/errors.js";
// Not the daemon barrel: that would load the whole daemon (ws, polka, execa …) for every command.
import { isDaemonAlive, readStateFile, removeStateFile, type DaemonState } from "../daemon/state-file.js";

export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, NOT_RUNNING: 3 } as const;

/** Prints one line to stderr and exits. The only way commands fail. */
export function fail(message: string, code: number = EXIT.ERROR, hint?: string): never {
  process.stderr.write(`${kleur.red("error")} ${message}\n`);
  if (hint) process.stderr.write(`${kleur.gray(hint)}\n`);
  process.exit(code);
}

export interface RunningDaemon {
  state: DaemonState;
}

/** What every command works with: the resolved config, the conf store, the master token and the running daemon. */
export interface CliContext {
  readonly config: ResolvedConfig;
  readonly store: ConfigStore;
  /** The token the daemon accepts (AUTH_TOKEN, else the stored one, created on first read). */
  readonly token: string;
  /** Whether `token` comes from AUTH_TOKEN (then it cannot be rotated). */
  readonly tokenFromEnv: boolean;
  /** The live daemon of this config dir, or null (a stale state file is removed). */
  readonly running: RunningDaemon | null;
}

export interface CliFlags {
  configDir?: string | undefined;
  /** Setting flags (only `start` has them). */
  settings?: Partial<Record<SettingKey, RawValue>>;
}

/**
 * The resolved config and the running daemon, without the conf store: what `start` needs before it listens
 * (the config file is read as plain JSON). A bad setting or config file exits 2 with one line.
 */
export function cliConfig(flags: CliFlags = {}): { config: ResolvedConfig; running: RunningDaemon | null } {
  const env = processEnv();
  let config: ResolvedConfig;
  try {
    const dir = resolveConfigDir(flags.configDir, env);
    config = resolveConfig({
      flags: flags.settings ?? {},
      env,
      store: storedSettings(readConfigFile(dir)),
      configDir: dir,
      processCwd: process.cwd(),
      isTTY: Boolean(process.stderr.isTTY),
    });
  } catch (e) {
    if (isCompanionError(e) && (e.code === "CONFIG_INVALID" || e.code === "CONFIG_FILE_INVALID")) fail(e.message, EXIT.USAGE, e.hint);
    throw e;
  }
  return { config, running: findRunningDaemon(config.configDir) };
}

/** Opens the store and resolves the config once for a command; a bad setting or config file exits 2 with one line. */
export async function cliContext(flags: CliFlags = {}): Promise<CliContext> {
  const { config, running } = cliConfig(flags);
  // conf (and ajv) load here, not for `start`'s way to listening.
  const { openConfigStore } = await import("../config/store.js");
  let store: ConfigStore;
  try {
    store = openConfigStore(config.configDir);
  } catch (e) {
    if (isCompanionError(e) && e.code === "CONFIG_FILE_INVALID") fail(e.message, EXIT.USAGE, e.hint);
    throw e;
  }
  let master: MasterToken | undefined;
  const token = () => (master ??= resolveMasterToken(config, store));
  return {
    config,
    store,
    get token() {
      return token().token;
    },
    get tokenFromEnv() {
      return token().fromEnv;
    },
    running,
  };
}

/** The state file of a live daemon, or null. A stale file (dead pid, or a pid reused by another program) is removed. */
export function findRunningDaemon(configDir: string): RunningDaemon | null {
  const state = readStateFile(configDir);
  if (!state) return null;
  if (!isDaemonAlive(state)) {
    removeStateFile(configDir, state.pid);
    return null;
  }
  return { state };
}

/** Calls the running daemon over loopback; with TLS the connection is pinned to the fingerprint in the state file. */
export async function callDaemon<T>(
  state: DaemonState,
  path: string,
  token: string | null,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const url = new URL(path, state.url);
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const agent = state.tls && state.fingerprint ? (await import("../tls/index.js")).createPinnedAgent(state.fingerprint) : undefined;
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers, agent, timeout: 5000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T });
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error("the daemon did not answer within 5 s")));
    req.on("error", reject);
    req.end(payload);
  });
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`, `${s}s`].filter(Boolean).join(" ");
}
