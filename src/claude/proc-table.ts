// Linux /proc reader: every process with its parent, group, session, start time, CPU ticks and session marker; never throws.
import { readdirSync, readFileSync } from "node:fs";

/** The environment variable every Claude child gets (value: our session id); tool subprocesses inherit it. */
export const SESSION_MARKER_ENV = "CLAUDE_COMPANION_SESSION_ID";

/** True where /proc can be read (Linux); elsewhere a session's tree is its Claude process alone. */
export const PROC_AVAILABLE = process.platform === "linux";

/** Unit of utime, stime and starttime in /proc/<pid>/stat: USER_HZ, 100 on Linux whatever the kernel's HZ. */
const TICKS_PER_SECOND = 100;

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  /** Kernel session id (setsid starts a new one). */
  sid: number;
  /** /proc/<pid>/stat field 22 (clock ticks after boot): with the pid, the identity of a process. */
  startTime: string;
  /** utime + stime in ms. */
  cpuMs: number;
  /** The session id of SESSION_MARKER_ENV in its environment, or null (none, or unreadable). */
  marker: string | null;
}

/** Parses one /proc/<pid>/stat line; undefined for a zombie or a line that does not parse. */
export function parseStat(pid: number, stat: string): Omit<ProcEntry, "marker"> | undefined {
  // Fields after the parenthesised command name (it may hold spaces and parentheses): state is field 3.
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const f = stat.slice(close + 2).split(" ");
  if (f[0] === "Z" || f[0] === "X" || f.length < 20) return undefined;
  return {
    pid,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    startTime: f[19] ?? "",
    cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND,
  };
}

/** The start time of a live (not zombie) pid, or null when it is gone. */
export function startTimeOf(pid: number): string | null {
  if (!PROC_AVAILABLE) return null;
  try {
    return parseStat(pid, readFileSync(`/proc/${pid}/stat`, "utf8"))?.startTime ?? null;
  } catch {
    return null;
  }
}

/** The pid still runs and is the process that started at `startTime` (a reused pid is not). */
export function isSameProcess(pid: number, startTime: string): boolean {
  return startTimeOf(pid) === startTime;
}

const MARKER_PREFIX = `\0${SESSION_MARKER_ENV}=`;
// The marker of a process never changes (its initial environment): read once per pid and start time.
const markers = new Map<string, string | null>();

function markerOf(pid: number, startTime: string): string | null {
  const key = `${pid}:${startTime}`;
  const known = markers.get(key);
  if (known !== undefined) return known;
  let marker: string | null = null;
  try {
    const env = "\0" + readFileSync(`/proc/${pid}/environ`, "latin1");
    const at = env.indexOf(MARKER_PREFIX);
    if (at >= 0) {
      const start = at + MARKER_PREFIX.length;
      const end = env.indexOf("\0", start);
      marker = env.slice(start, end < 0 ? undefined : end);
    }
  } catch {
    marker = null;
  }
  markers.set(key, marker);
  return marker;
}

let cached: { at: number; entries: ProcEntry[] } | undefined;
/** Scans younger than this are reused (several sessions sample on the same tick). */
const SCAN_REUSE_MS = 250;

/** Every live process of this machine (empty where /proc is missing). */
export function scanProcesses(fresh = false): ProcEntry[] {
  if (!PROC_AVAILABLE) return [];
  const now = performance.now();
  if (!fresh && cached && now - cached.at < SCAN_REUSE_MS) return cached.entries;
  let names: string[] = [];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  const entries: ProcEntry[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const pid = Number(name);
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const parsed = parseStat(pid, stat);
    if (!parsed) continue;
    seen.add(`${pid}:${parsed.startTime}`);
    entries.push({ ...parsed, marker: markerOf(pid, parsed.startTime) });
  }
  for (const key of markers.keys()) if (!seen.has(key)) markers.delete(key);
  cached = { at: now, entries };
  return entries;
}

/** The command line of a pid, NULs as spaces, cut to `max` characters; "" when unreadable. */
export function commandOf(pid: number, max = 200): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0+$/, "").replace(/\0/g, " ");
    return cmd.length > max ? cmd.slice(0, max - 1) + "…" : cmd;
  } catch {
    return "";
  }
}

/** Resident set size in bytes; 0 when unreadable. */
export function rssOf(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

let bootMs: number | undefined;
/** ms since epoch when a process with this start time started. */
export function startedAtOf(startTime: string): number {
  if (bootMs === undefined) {
    try {
      bootMs = Number(/^btime\s+(\d+)/m.exec(readFileSync("/proc/stat", "utf8"))?.[1] ?? 0) * 1000;
    } catch {
      bootMs = 0;
    }
  }
  return bootMs + (Number(startTime) * 1000) / TICKS_PER_SECOND;
}
