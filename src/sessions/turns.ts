// One turn at a time: the prompt queue, handing the next prompt to Claude only after the previous result, the silence watchdog.
import type { Logger } from "pino";
import type { ClaudeProcess } from "../claude/types.js";
import { isCompanionError } from "../protocol/errors.js";
import { Deadline } from "./deadline.js";
import type { ProcessSlot } from "./process-slot.js";
import { toUserContent, type PromptInput, type SessionLimits } from "./types.js";

export interface Turn {
  promptId: string;
  /** The process the prompt went to (undefined while waiting for a retiring one to exit). */
  process: ClaudeProcess | undefined;
  /** Set when we stop the turn ourselves: the reason of the state change that ends it. */
  abortReason?: string;
  /** A client asked to stop it. */
  interrupted: boolean;
  /** Claude's result for it arrived (its streamComplete is out); a turn that ends without one gets a cut one. */
  completed?: boolean;
  killTimer?: ReturnType<typeof setTimeout>;
}

/** What the turn runner needs from its session. */
export interface TurnHost {
  now: () => number;
  logger: Logger;
  limits: Pick<SessionLimits, "claudeTimeoutMs" | "timeoutKillGraceMs">;
  slot: ProcessSlot;
  /** True while a permission prompt waits for a user: Claude's silence then is not a hang. */
  waitingOnUser: () => boolean;
  onTurnStart: () => void;
  /** The turn is over (dropped: queued prompts discarded with it). Returns false if no next turn may start. */
  onTurnEnd: (turn: Turn, reason: string, dropped: string[]) => boolean;
  /** Queued prompts were discarded while the turn goes on (it is being stopped). */
  onQueueDropped: (reason: string, dropped: string[]) => void;
  /** Spawning threw; the turn ends as "spawn-failed". */
  onSpawnError: (error: unknown) => void;
  /** Writing the prompt to a live process threw (not because it exited): the host ends the turn. */
  onWriteError: (turn: Turn, error: unknown) => void;
  /** Claude was silent for limits.claudeTimeoutMs; the turn is being stopped. */
  onSilence: (timeoutMs: number) => void;
}

export class TurnRunner {
  private readonly queue: { promptId: string; prompt: PromptInput }[] = [];
  private turn: Turn | undefined;
  private lastHeard: number;
  private readonly watchdog: Deadline;

  constructor(private readonly host: TurnHost) {
    this.lastHeard = host.now();
    this.watchdog = new Deadline({
      ms: host.limits.claudeTimeoutMs,
      now: host.now,
      since: () => this.lastHeard,
      onExpire: () => this.silence(),
    });
  }

  get current(): Turn | undefined {
    return this.turn;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  /** True when the prompt would run at once (no turn, empty queue). */
  get free(): boolean {
    return !this.turn && this.queue.length === 0;
  }

  /** Runs the prompt now (0) or queues it (its 1-based position). */
  submit(promptId: string, prompt: PromptInput): number {
    if (!this.free) return this.queue.push({ promptId, prompt });
    this.start(promptId, prompt);
    return 0;
  }

  /** Claude said something: the silence clock starts again (a plain assignment on the hot path). */
  heard(at: number): void {
    this.lastHeard = at;
  }

  /** A permission prompt was answered: Claude works again, count its silence from now. */
  resumeWatch(): void {
    this.lastHeard = this.host.now();
    if (this.turn) this.watchdog.arm();
  }

  /** Empties the queue; returns the dropped prompt ids. */
  dropQueue(): string[] {
    return this.queue.splice(0).map((q) => q.promptId);
  }

  /** Ends the turn (idempotent per turn) and starts the next queued prompt, if the host allows. */
  end(turn: Turn, reason: string, dropQueue = false): void {
    if (this.turn !== turn) return;
    this.turn = undefined;
    this.watchdog.disarm();
    if (turn.killTimer) clearTimeout(turn.killTimer);
    const dropped = dropQueue ? this.dropQueue() : [];
    if (!this.host.onTurnEnd(turn, reason, dropped)) return;
    const next = this.queue.shift();
    if (next) this.start(next.promptId, next.prompt);
  }

  /** Gives up on a turn: drops the queue and interrupts; with killAfterGrace, SIGKILL if no result in time. */
  abort(turn: Turn, reason: string, killAfterGrace: boolean): void {
    turn.abortReason = reason;
    const dropped = this.dropQueue();
    if (dropped.length > 0) this.host.onQueueDropped(reason, dropped);
    const proc = turn.process;
    if (!proc) return this.end(turn, reason);
    proc.interrupt().catch(() => undefined);
    if (killAfterGrace) {
      turn.killTimer = setTimeout(() => proc.kill(), this.host.limits.timeoutKillGraceMs);
      turn.killTimer.unref?.();
    }
  }

  /** Forgets everything (session closing); returns the turn that was running. */
  clear(): Turn | undefined {
    const turn = this.turn;
    this.turn = undefined;
    this.queue.length = 0;
    this.watchdog.disarm();
    if (turn?.killTimer) clearTimeout(turn.killTimer);
    return turn;
  }

  private start(promptId: string, prompt: PromptInput): void {
    const turn: Turn = { promptId, process: undefined, interrupted: false };
    this.turn = turn;
    this.host.onTurnStart();
    // A process being stopped must exit first: exactly one live process per session id.
    const retired = this.host.slot.retired();
    if (retired) void retired.then(() => this.run(turn, prompt));
    else this.run(turn, prompt);
  }

  private run(turn: Turn, prompt: PromptInput): void {
    if (this.turn !== turn) return;
    let proc: ClaudeProcess;
    try {
      proc = this.host.slot.ensure();
    } catch (error) {
      this.host.onSpawnError(error);
      this.end(turn, "spawn-failed");
      return;
    }
    turn.process = proc;
    this.lastHeard = this.host.now();
    this.watchdog.arm();
    // A process that is already gone (never started, or died) ends the turn through its exit handler.
    if (!proc.alive) return;
    try {
      proc.sendUserMessage(toUserContent(prompt), turn.promptId);
    } catch (error) {
      // A process that exited ends the turn through its exit handler; any other failure must not leave the turn hanging.
      if (isCompanionError(error) && error.code === "CLAUDE_EXITED") {
        this.host.logger.warn({ err: error }, "could not send the prompt; waiting for the process exit");
      } else this.host.onWriteError(turn, error);
    }
  }

  private silence(): void {
    const turn = this.turn;
    if (!turn || turn.abortReason || this.host.waitingOnUser()) return;
    this.host.onSilence(this.host.limits.claudeTimeoutMs);
    this.abort(turn, "claude-timeout", true);
  }
}
