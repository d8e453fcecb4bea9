// The one Claude process of a session: spawns or adopts it, retires one that must go, reports its exit; it knows nothing of turns.
import type { Logger } from "pino";
import type { ClaudeEvent, ClaudeExit, ClaudeProcess, ClaudeSpawnOptions, StartClaude } from "../claude/types.js";
import { CompanionError } from "../protocol/errors.js";

export interface ProcessExitInfo {
  /** It was the slot's process when it exited (not one replaced before its exit was reported). */
  current: boolean;
  /** Why a process that never started failed (e.g. CLAUDE_UNAVAILABLE). */
  startError?: CompanionError;
}

export interface ProcessSlotOptions {
  startClaude: StartClaude;
  /** Spawn options for the next process (resume decided by the caller). */
  spawnOptions: () => ClaudeSpawnOptions;
  logger: Logger;
  onEvent: (process: ClaudeProcess, event: ClaudeEvent) => void;
  onReady: (process: ClaudeProcess) => void;
  onExit: (process: ClaudeProcess, exit: ClaudeExit, info: ProcessExitInfo) => void;
}

export class ProcessSlot {
  private proc: ClaudeProcess | undefined;
  private unsubscribe: (() => void) | undefined;
  // Being stopped (memory limit): it stays in the slot until it exits, so no second process runs meanwhile.
  private retiring: ClaudeProcess | undefined;
  private readonly startErrors = new WeakMap<ClaudeProcess, unknown>();

  constructor(private readonly options: ProcessSlotOptions) {}

  /** The process in the slot (alive, starting, or retiring). */
  get current(): ClaudeProcess | undefined {
    return this.proc;
  }

  /** The process to sample or talk to: not one being retired. */
  get usable(): ClaudeProcess | undefined {
    return this.proc !== this.retiring ? this.proc : undefined;
  }

  /** Resolves once a retiring process has exited; undefined when none is retiring. */
  retired(): Promise<void> | undefined {
    const r = this.retiring;
    return r?.alive ? r.exited.then(() => undefined) : undefined;
  }

  /** The live process, spawning one if needed. Throws what startClaude throws (e.g. FORBIDDEN_PATH). */
  ensure(): ClaudeProcess {
    if (this.proc?.alive && this.proc !== this.retiring) return this.proc;
    // A dead process whose exit is not reported yet: its exit handler still runs (current: false).
    if (this.proc) this.release();
    const spawn = this.options.spawnOptions();
    const proc = this.options.startClaude(spawn);
    this.options.logger.info({ pid: proc.pid, resume: spawn.resume }, "Claude process started");
    this.adopt(proc);
    return proc;
  }

  /** Takes an already spawned process (warm pool) into the slot. */
  adopt(proc: ClaudeProcess): void {
    this.proc = proc;
    this.unsubscribe = proc.onEvent((event) => {
      if (proc === this.proc) this.options.onEvent(proc, event);
    });
    void proc.exited.then((exit) => this.exited(proc, exit));
    proc.ready().then(
      () => {
        if (proc === this.proc) this.options.onReady(proc);
      },
      (error: unknown) => this.startErrors.set(proc, error),
    );
  }

  /** Stops the process but keeps it in the slot until it has exited. */
  retire(proc: ClaudeProcess): void {
    if (proc !== this.proc) return;
    this.retiring = proc;
    void proc.stop().catch(() => proc.kill());
  }

  /** Empties the slot without stopping the process; returns it. */
  release(): ClaudeProcess | undefined {
    const proc = this.proc;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.retiring === proc) this.retiring = undefined;
    this.proc = undefined;
    return proc;
  }

  /** Empties the slot and stops its process (interrupting a running turn first); resolves when it has exited. */
  async close(interruptFirst: boolean): Promise<void> {
    const proc = this.release();
    if (!proc) return;
    try {
      // An interrupted turn writes its result to the transcript before stdin closes (protocol doc §5).
      if (interruptFirst && proc.alive) await Promise.race([proc.interrupt().catch(() => undefined), delay(500)]);
      await proc.stop();
    } catch (error) {
      this.options.logger.warn({ err: error }, "stopping Claude failed; killing it");
      proc.kill();
      await proc.exited;
    }
  }

  private exited(proc: ClaudeProcess, exit: ClaudeExit): void {
    this.options.logger.info({ pid: proc.pid, exitCode: exit.exitCode, signal: exit.signal, requested: exit.requested }, "Claude process exited");
    const current = proc === this.proc;
    if (current) this.release();
    const startError = proc.pid === undefined ? this.startErrors.get(proc) : undefined;
    this.options.onExit(proc, exit, { current, ...(startError instanceof CompanionError ? { startError } : {}) });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
