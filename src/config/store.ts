// The conf store in the config dir: master token, server id, stored settings. Dir 0700, file 0600.
import { chmodSync, existsSync } from "node:fs";
import { join } from "node:path";
import Conf from "conf";
import { generateToken } from "../pairing/tokens.js";
import { ensureConfigDir, readConfigFile, storedSettings } from "./config-file.js";
import { CONFIG_FILE } from "./paths.js";

interface StoreShape {
  token?: string;
  serverId?: string;
  settings?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ConfigStore {
  readonly path: string;
  readonly dir: string;
  get<K extends keyof StoreShape>(key: K): StoreShape[K];
  set<K extends keyof StoreShape>(key: K, value: StoreShape[K]): void;
  /** The master token, created (32 random bytes, base64url) on first use. */
  ensureToken(): string;
  rotateToken(): string;
  /** A stable random id of this server (Bonjour TXT `id`). */
  ensureServerId(): string;
  settings(): Record<string, unknown>;
}

export function openConfigStore(dir: string): ConfigStore {
  ensureConfigDir(dir);
  const path = join(dir, CONFIG_FILE);
  // conf would throw a bare SyntaxError; say which file is broken instead, and never reset it.
  readConfigFile(dir);
  const conf = new Conf<StoreShape>({
    cwd: dir,
    configName: "config",
    projectName: "claude-companion",
    clearInvalidConfig: false,
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
  });
  const secure = () => {
    if (existsSync(path)) chmodSync(path, 0o600);
  };
  secure();
  const store: ConfigStore = {
    path,
    dir,
    get: (key) => conf.get(key),
    set: (key, value) => {
      conf.set(key, value);
      secure();
    },
    ensureToken() {
      const existing = conf.get("token");
      if (typeof existing === "string" && existing.length >= 16) return existing;
      return store.rotateToken();
    },
    rotateToken() {
      const token = generateToken(32);
      store.set("token", token);
      return token;
    },
    ensureServerId() {
      const existing = conf.get("serverId");
      if (typeof existing === "string" && existing) return existing;
      const id = generateToken(9);
      store.set("serverId", id);
      return id;
    },
    settings: () => storedSettings({ settings: conf.get("settings") }),
  };
  return store;
}
