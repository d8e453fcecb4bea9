// The config file read without conf (start-up reads its settings before conf loads); conf writes it (store.ts).
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CompanionError } from "../protocol/errors.js";
import { CONFIG_FILE } from "./paths.js";

/** Creates the config dir (0700) if needed and checks the directory mode even when it exists. */
export function ensureConfigDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** The config file's object ({} when there is none); CONFIG_FILE_INVALID names a broken file (it is never reset). */
export function readConfigFile(dir: string): Record<string, unknown> {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8") || "{}");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not a JSON object");
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new CompanionError("CONFIG_FILE_INVALID", { path, reason: (e as Error).message });
  }
}

/** The stored settings (`claude-companion config`'s part of the file). */
export function storedSettings(file: Record<string, unknown>): Record<string, unknown> {
  const s = file.settings;
  return s && typeof s === "object" && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
}
