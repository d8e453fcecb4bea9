// The daemon's one temporary folder (<config dir>/tmp): emptied at start and at close, so nothing a crash left lingers.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface DaemonTempDir {
  readonly path: string;
  /** Removes everything inside (the folder stays). Never throws. */
  clean(): void;
}

/** `<config dir>/tmp`: the one place the daemon writes temporary files (e.g. `tailscale cert`'s output before it is moved). */
export const daemonTempPath = (configDir: string): string => join(configDir, "tmp");

export function createDaemonTempDir(configDir: string): DaemonTempDir {
  const path = daemonTempPath(configDir);
  const clean = (): void => {
    try {
      for (const name of readdirSync(path)) rmSync(join(path, name), { recursive: true, force: true });
    } catch {
      /* missing: created below */
    }
    try {
      mkdirSync(path, { recursive: true, mode: 0o700 });
    } catch {
      /* a read-only config dir: nothing will be written there either */
    }
  };
  clean();
  return { path, clean };
}
