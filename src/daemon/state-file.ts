// The daemon state file (daemon.json in the config dir): written on listen, removed on close.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { STATE_FILE } from "../config/index.js";
import { writeFileAtomicSync } from "../atomic-file.js";

// Checked by hand, not with zod: every command (and `start` before it listens) reads this file, and zod's
// import alone would cost more than the rest of `start`'s way to listening (issue 20).
export interface DaemonState {
  pid: number;
  port: number;
  host: string;
  /** Loopback URL the CLI uses to reach the daemon. */
  url: string;
  version: string;
  /** ms since epoch. */
  startedAt: number;
  tls: boolean;
  fingerprint: string | null;
  logPath: string | null;
  /** The process's start time as the OS reports it, to tell our daemon from another program that got its pid. */
  procStart: string | null;
}

const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const stringOrNull = (v: unknown): v is string | null | undefined => v === undefined || v === null || typeof v === "string";

/** A parsed state file, or null when it is not one (absent optional fields take their defaults). */
export function parseDaemonState(value: unknown): DaemonState | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isInt(v.pid, 1, Number.MAX_SAFE_INTEGER) || !isInt(v.port, 0, 65535)) return null;
  if (typeof v.host !== "string" || typeof v.url !== "string" || typeof v.version !== "string" || typeof v.startedAt !== "number") return null;
  if ((v.tls !== undefined && typeof v.tls !== "boolean") || !stringOrNull(v.fingerprint) || !stringOrNull(v.logPath) || !stringOrNull(v.procStart)) return null;
  return {
    pid: v.pid,
    port: v.port,
    host: v.host,
    url: v.url,
    version: v.version,
    startedAt: v.startedAt,
    tls: v.tls ?? false,
    fingerprint: v.fingerprint ?? null,
    logPath: v.logPath ?? null,
    procStart: v.procStart ?? null,
  };
}

export function stateFilePath(configDir: string): string {
  return join(configDir, STATE_FILE);
}

export function writeStateFile(configDir: string, state: DaemonState): void {
  writeFileAtomicSync(stateFilePath(configDir), JSON.stringify(state, null, 2) + "\n");
}

/** Reads the state file; null when absent or unreadable (a broken file counts as no daemon). */
export function readStateFile(configDir: string): DaemonState | null {
  try {
    return parseDaemonState(JSON.parse(readFileSync(stateFilePath(configDir), "utf8")));
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
