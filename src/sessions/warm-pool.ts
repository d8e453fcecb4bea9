// The warm pool: spare Claude processes for the default directory and options, spawned ahead with a fresh --session-id.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ClaudeProcess, StartClaude } from "../claude/types.js";
import type { SpawnSettings } from "./types.js";

export interface WarmPoolOptions {
  /** Spares to keep; 0 disables the pool. */
  size: number;
  startClaude: StartClaude;
  cwd: string;
  spawn: SpawnSettings;
  logger: Logger;
  /** Wait after a spare died or failed to start, doubled per failure in a row. Default 1000 ms. */
  retryBaseMs?: number;
  /** Cap of that wait. Default 60 000 ms. */
  retryMaxMs?: number;
}

interface Spare {
  process: ClaudeProcess;
  ready: boolean;
}

/** Longest wait before a taken spare is replaced, ms. */
const REFILL_DELAY_MS = 2000;

export class WarmPool {
  private readonly spares = new Set<Spare>();
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly logger: Logger;

  constructor(private readonly options: WarmPoolOptions) {
    this.logger = options.logger.child({ room: "sessions", pool: true });
  }

  /** Spares alive now, and how many of them have answered `initialize`. */
  status(): { size: number; spares: number; ready: number } {
    let spares = 0;
    let ready = 0;
    for (const s of this.spares) {
      if (!s.process.alive) continue;
      spares++;
      if (s.ready) ready++;
    }
    return { size: this.options.size, spares, ready };
  }

  /** True when a session with this cwd and these options can take a spare. */
  matches(cwd: string, spawn: Pick<SpawnSettings, "permissionMode" | "model">): boolean {
    return this.options.size > 0 && cwd === this.options.cwd && spawn.permissionMode === this.options.spawn.permissionMode && spawn.model === this.options.spawn.model;
  }

  /** Hands out a live spare (ready ones first) and starts its replacement. */
  take(): ClaudeProcess | undefined {
    let chosen: Spare | undefined;
    for (const s of this.spares) {
      if (!s.process.alive) continue;
      if (s.ready) {
        chosen = s;
        break;
      }
      chosen ??= s;
    }
    if (!chosen) return undefined;
    this.spares.delete(chosen);
    this.refillAfterFirstOutput(chosen.process);
    return chosen.process;
  }

  /**
   * A replacement CLI start costs about a second of CPU: started at once it competes with the taken
   * process's first turn (measured: warm start 246 ms -> 480 ms on 2 busy cores). It starts when that
   * process has sent its first output, or exited, or after REFILL_DELAY_MS, whichever comes first.
   */
  private refillAfterFirstOutput(taken: ClaudeProcess): void {
    let done = false;
    const refill = () => {
      if (done) return;
      done = true;
      off();
      clearTimeout(timer);
      this.fill();
    };
    const off = taken.onEvent((e) => {
      if (e.kind === "assistant" || e.kind === "result") refill();
    });
    const timer = setTimeout(refill, REFILL_DELAY_MS);
    timer.unref?.();
    void taken.exited.then(refill, refill);
  }

  fill(): void {
    while (!this.closed && !this.retryTimer && this.spares.size < this.options.size) {
      if (!this.spawnOne()) return;
    }
  }

  /** Stops every spare; resolves when all have exited. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const spares = [...this.spares];
    this.spares.clear();
    await Promise.all(spares.map((s) => s.process.stop().catch(() => s.process.kill())));
  }

  private spawnOne(): boolean {
    let process: ClaudeProcess;
    try {
      process = this.options.startClaude({ ...this.options.spawn, cwd: this.options.cwd, sessionId: randomUUID(), resume: false });
    } catch (error) {
      this.failed(error);
      return false;
    }
    const spare: Spare = { process, ready: false };
    this.spares.add(spare);
    this.logger.debug({ pid: process.pid }, "warm pool process started");
    process.ready().then(
      () => {
        spare.ready = true;
        this.failures = 0;
      },
      () => undefined,
    );
    void process.exited.then((exit) => {
      if (!this.spares.delete(spare) || this.closed) return;
      this.failed(new Error(`warm pool process exited (code ${String(exit.exitCode)}, signal ${String(exit.signal)})`), exit.stderrTail);
    });
    return true;
  }

  // Backoff, so a missing or broken CLI is not respawned in a tight loop.
  private failed(error: unknown, stderrTail?: string): void {
    this.failures++;
    const base = this.options.retryBaseMs ?? 1000;
    const wait = Math.min(base * 2 ** (this.failures - 1), this.options.retryMaxMs ?? 60_000);
    this.logger.warn({ err: error, stderrTail, retryInMs: wait, failures: this.failures }, "warm pool could not keep a Claude process");
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.fill();
    }, wait);
    this.retryTimer.unref?.();
  }
}
