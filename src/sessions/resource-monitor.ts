// Samples CPU and RSS of a session's process at a fixed interval and reports a process over its memory limit; it stops nothing itself.
import type { Logger } from "pino";
import type { ClaudeProcess } from "../claude/types.js";

const MiB = 1024 * 1024;

export interface ProcessSample {
  pid: number;
  cpu: number;
  rssBytes: number;
}

export interface ResourceMonitorOptions {
  /** Sampling interval in ms; 0 disables. */
  intervalMs: number;
  /** RSS limit in MB; 0 disables the check. */
  limitMb: number;
  /** The process to sample now (undefined: nothing to do). */
  target: () => ClaudeProcess | undefined;
  onSample: (process: ClaudeProcess, sample: ProcessSample) => void;
  onOverLimit: (process: ClaudeProcess, rssMb: number) => void;
  logger: Logger;
}

export class ResourceMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private sampling = false;

  constructor(private readonly options: ResourceMonitorOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.options.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sample now (also what the interval runs); overlapping samples are skipped. */
  async sample(): Promise<void> {
    const proc = this.options.target();
    if (!proc || this.sampling) return;
    this.sampling = true;
    let stats: { cpu: number; rssBytes: number } | null = null;
    try {
      stats = await proc.stats();
    } catch (error) {
      this.options.logger.debug({ err: error }, "process stats failed");
    } finally {
      this.sampling = false;
    }
    // The process may have been replaced or stopped while sampling.
    if (!stats || proc !== this.options.target() || proc.pid === undefined) return;
    this.options.onSample(proc, { pid: proc.pid, cpu: stats.cpu, rssBytes: stats.rssBytes });
    const { limitMb } = this.options;
    if (limitMb > 0 && stats.rssBytes > limitMb * MiB) this.options.onOverLimit(proc, Math.round(stats.rssBytes / MiB));
  }
}
