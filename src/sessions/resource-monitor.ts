// Runs a session's resource sampling at a fixed interval (the sampling and the limits live in session-tree.ts); it stops nothing itself.
import type { Logger } from "pino";

export interface ResourceMonitorOptions {
  /** Sampling interval in ms; 0 disables. */
  intervalMs: number;
  /** One sample (and the limit checks that follow it). */
  tick: () => Promise<void>;
  logger: Logger;
}

export class ResourceMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;

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

  /** One sample now (also what the interval runs). */
  async sample(): Promise<void> {
    try {
      await this.options.tick();
    } catch (err) {
      this.options.logger.debug({ err }, "resource sample failed");
    }
  }
}
