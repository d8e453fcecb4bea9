// The daemon state file (daemon.json in the config dir): written on listen, removed on close.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { STATE_FILE } from "../config/index.js";
import { writeFileAtomicSync } from "../atomic-file.js";

export const DaemonStateSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(0).max(65535),
  host: z.string(),
  /** Loopback URL the CLI uses to reach the daemon. */
  url: z.string(),
  version: z.string(),
  /** ms since epoch. */
  startedAt: z.number(),
  tls: z.boolean().default(false),
  fingerprint: z.string().nullable().default(null),
  logPath: z.string().nullable().default(null),
  /** The process's start time as the OS reports it, to tell our daemon from another program that got its pid. */
  procStart: z.string().nullable().default(null),
});
export type DaemonState = z.infer<typeof DaemonStateSchema>;

export function stateFilePath(configDir: string): string {
  return join(configDir, STATE_FILE);
}

export function writeStateFile(configDir: string, state: DaemonState): void {
  writeFileAtomicSync(stateFilePath(configDir), JSON.stringify(state, null, 2) + "\n");
}

/** Reads the state file; null when absent or unreadable (a broken file counts as no daemon). */
export function readStateFile(configDir: string): DaemonState | null {
  try {
    const parsed = DaemonStateSchema.safeParse(JSON.parse(readFileSync(stateFilePath(configDir), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function removeStateFile(configDir: string, onlyIfPid?: number): void {
  if (onlyIfPid !== undefined) {
    const current = readStateFile(configDir);
    if (current && current.pid !== onlyIfPid) return;
  }
  rmSync(stateFilePath(configDir), { force: true });
}

/** When `pid` started, in the OS's own units (Linux: clock ticks since boot); null where unknown. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; starttime is field 22 overall.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** The daemon of this state file is running: its pid is alive and (where known) started when the file says. */
export function isDaemonAlive(state: DaemonState): boolean {
  if (!isProcessAlive(state.pid)) return false;
  if (state.procStart === null) return true;
  const now = processStartTime(state.pid);
  return now === null || now === state.procStart;
}

/** True while `pid` runs. A zombie (exited, not yet reaped by its parent) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // Linux: the state letter follows the command name in parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}
