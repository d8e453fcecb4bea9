// Where the config directory lives by default (the OS convention), and the files inside it.
import { homedir } from "node:os";
import { join } from "node:path";

export function defaultConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === "darwin") return join(home, "Library", "Preferences", "claude-companion");
  if (platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "claude-companion");
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "claude-companion");
}

export const CONFIG_FILE = "config.json";
export const STATE_FILE = "daemon.json";
export const LOG_FILE = "daemon.log";
