// CPU and memory of live Claude children; never throws. Linux reads /proc (no descriptor is kept open), elsewhere pidusage.
import { readFile } from "node:fs/promises";
import pidusage from "pidusage";

export interface ProcessStats {
  /** CPU % since the previous sample of this pid (100 = one core; 0 on the first sample). */
  cpu: number;
  /** Resident set size in bytes. */
  rssBytes: number;
}

// pidusage keeps an open /proc/<pid>/stat descriptor per pid on Linux and its clear() forgets them
// without closing them: every Claude process ever sampled leaked one descriptor. So on Linux the two
// files are read (opened and closed) here, and only the previous CPU time is remembered per pid.
const LINUX = process.platform === "linux";
/** Unit of utime and stime in /proc/<pid>/stat: USER_HZ, 100 on Linux whatever the kernel's HZ. */
const CLOCK_TICKS_PER_SECOND = 100;
const previous = new Map<number, { cpuMs: number; at: number }>();
// pidusage (other platforms) keeps per-pid history for CPU deltas; clear() runs once nothing is sampled.
const sampled = new Set<number>();

async function sampleLinux(pid: number): Promise<ProcessStats> {
  const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, "utf8"), readFile(`/proc/${pid}/status`, "utf8")]);
  // Fields after the command name (in parentheses, it may hold spaces): state, ppid, … utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  const at = performance.now();
  const before = previous.get(pid);
  previous.set(pid, { cpuMs, at });
  const cpu = before && at > before.at ? ((cpuMs - before.cpuMs) / (at - before.at)) * 100 : 0;
  return { cpu: Number.isFinite(cpu) ? Math.max(0, cpu) : 0, rssBytes: rssKb * 1024 };
}

/** Samples one pid; null when it is gone or cannot be read. */
export async function sampleProcess(pid: number): Promise<ProcessStats | null> {
  try {
    if (LINUX) return await sampleLinux(pid);
    sampled.add(pid);
    const stat = await pidusage(pid);
    return { cpu: stat.cpu, rssBytes: stat.memory };
  } catch {
    return null;
  }
}

/** Forgets a pid that exited. */
export function forgetProcess(pid: number): void {
  previous.delete(pid);
  if (!sampled.delete(pid)) return;
  if (sampled.size === 0) pidusage.clear();
}
