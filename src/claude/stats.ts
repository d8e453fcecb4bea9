// CPU and memory of live Claude children via pidusage; never throws.
import pidusage from "pidusage";

// pidusage keeps per-pid history (and an open /proc fd) for CPU deltas; clear() drops all of it,
// so it is called only when no sampled process is left, never while another one is sampled.
const sampled = new Set<number>();

export interface ProcessStats {
  /** CPU % since the previous sample of this pid (100 = one core). */
  cpu: number;
  /** Resident set size in bytes. */
  rssBytes: number;
}

/** Samples one pid; null when it is gone or cannot be read. */
export async function sampleProcess(pid: number): Promise<ProcessStats | null> {
  try {
    sampled.add(pid);
    const stat = await pidusage(pid);
    return { cpu: stat.cpu, rssBytes: stat.memory };
  } catch {
    return null;
  }
}

/** Forgets a pid that exited; clears pidusage's history once nothing is sampled any more. */
export function forgetProcess(pid: number): void {
  if (!sampled.delete(pid)) return;
  if (sampled.size === 0) pidusage.clear();
}
