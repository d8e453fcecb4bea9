// One session: its state, prompt queue, turns, permissions and the one Claude process behind it; no HTTP, no spawning of its own.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ClaudeEvent, ClaudeExit, ClaudeProcess, StartClaude } from "../claude/types.js";
import { PERMISSION_MODES, type PermissionMode, type SessionState, type Usage } from "../protocol/common.js";
import { CompanionError, type ErrorCode, type ErrorParams } from "../protocol/errors.js";
import type { NewSessionEvent, SessionEventData } from "../protocol/events.js";
import type { SessionInfo } from "../protocol/sessions.js";
import { Deadline } from "./deadline.js";
import { EventLog, type EventLogLimits } from "./event-log.js";
import { isStreamClaudeEvent, mapStreamEvent } from "./map-event.js";
import { PendingPermissions, type PermissionClientAnswer } from "./permissions.js";
import { transition, type SessionTransitionEvent } from "./state-machine.js";
import { toUserContent, type PromptInput, type SendResult, type SessionLimits, type SpawnSettings } from "./types.js";

export interface SessionOptions {
  /** UUID v4; also Claude's session id. */
  id: string;
  /** Absolute, existing directory. */
  workingDirectory: string;
  spawn: SpawnSettings;
  /** True when Claude already has a transcript for this id (the next spawn uses --resume). */
  resume: boolean;
  startClaude: StartClaude;
  logger: Logger;
  now: () => number;
  limits: SessionLimits;
  eventLogLimits?: EventLogLimits;
  /** A log to continue (a closed session resumed in this daemon keeps its seq numbers). */
  log?: EventLog;
  /** An already spawned process for this id (from the warm pool). */
  process?: ClaudeProcess;
  /** Called once when the session is closed, before its process has exited (`close()` then returns that wait). */
  onClosed?: (session: Session) => void;
}

export type StreamComplete = SessionEventData<"streamComplete">;

interface Turn {
  promptId: string;
  process: ClaudeProcess | undefined;
  /** Set when we stop the turn ourselves: the reason of the state change that ends it. */
  abortReason?: string;
  interrupted: boolean;
  killTimer?: ReturnType<typeof setTimeout>;
}

const MiB = 1024 * 1024;

export class Session {
  readonly id: string;
  readonly workingDirectory: string;
  readonly createdAt: number;
  readonly log: EventLog;
  lastActivity: number;
  messageCount = 0;
  private currentState: SessionState = "created";
  private readonly spawn: SpawnSettings;
  private reportedModel: string | undefined;
  private readonly queue: { promptId: string; prompt: PromptInput }[] = [];
  private turn: Turn | undefined;
  private proc: ClaudeProcess | undefined;
  private unsubscribe: (() => void) | undefined;
  private transcriptExists: boolean;
  private stats: SessionInfo["process"] = null;
  private lastResult: StreamComplete | null = null;
  private lastClaudeEventAt: number;
  private closing: Promise<void> | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private sampling = false;
  /** A process being stopped (memory limit): the next turn waits for its exit. */
  private retiring: ClaudeProcess | undefined;
  private readonly startErrors = new WeakMap<ClaudeProcess, unknown>();
  private readonly permissions: PendingPermissions;
  private readonly watchdog: Deadline;
  private readonly idle: Deadline;
  private readonly logger: Logger;

  constructor(private readonly options: SessionOptions) {
    this.id = options.id;
    this.workingDirectory = options.workingDirectory;
    this.spawn = { ...options.spawn, allowedTools: [...options.spawn.allowedTools] };
    this.transcriptExists = options.resume;
    this.createdAt = options.now();
    this.lastActivity = this.createdAt;
    this.lastClaudeEventAt = this.createdAt;
    this.logger = options.logger.child({ room: "sessions", sessionId: options.id });
    this.log =
      options.log ??
      new EventLog({
        sessionId: options.id,
        now: options.now,
        ...options.eventLogLimits,
        onError: (err, where) => this.logger.error({ err, where }, "session event log hook failed"),
      });
    this.permissions = new PendingPermissions({
      timeoutMs: options.limits.permissionTimeoutMs,
      now: options.now,
      logger: this.logger,
      emit: (e) => this.emit(e),
      onSettled: () => {
        // Claude was waiting on us, not silent: its silence is counted from the answer on.
        this.lastClaudeEventAt = this.options.now();
        if (this.turn) this.watchdog.arm();
      },
    });
    this.watchdog = new Deadline({
      ms: options.limits.claudeTimeoutMs,
      now: options.now,
      since: () => this.lastClaudeEventAt,
      onExpire: () => this.onSilence(),
    });
    this.idle = new Deadline({
      ms: options.limits.sessionTimeoutMs,
      now: options.now,
      since: () => this.lastActivity,
      onExpire: () => this.onIdle(),
    });
  }

  get state(): SessionState {
    return this.currentState;
  }

  get permissionMode(): PermissionMode {
    return this.spawn.permissionMode;
  }

  get model(): string | undefined {
    return this.spawn.model ?? this.reportedModel;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  /** The live process (undefined between a crash or idle stop and the next prompt). */
  get process(): ClaudeProcess | undefined {
    return this.proc;
  }

  /** Announces the session and spawns (or adopts) its process; sends the first prompt if given. */
  start(prompt?: PromptInput): SendResult | undefined {
    this.emitUpdate("created");
    if (this.options.limits.statsIntervalMs > 0) {
      this.statsTimer = setInterval(() => void this.sampleStats(), this.options.limits.statsIntervalMs);
      this.statsTimer.unref?.();
    }
    if (this.options.process) this.attach(this.options.process);
    if (prompt) return this.send(prompt);
    if (!this.proc) {
      try {
        this.ensureProcess();
      } catch (error) {
        this.emitCaughtError(error);
        this.setState("ready", "spawn-failed");
      }
    }
    this.idle.arm();
    return undefined;
  }

  /** Queues a prompt; position 0 runs at once. Throws SESSION_CLOSED or SESSION_BUSY. */
  send(prompt: PromptInput): SendResult {
    this.assertOpen();
    const runsNow = !this.turn && this.queue.length === 0;
    if (!runsNow && this.queue.length >= this.options.limits.queueLimit) {
      throw new CompanionError("SESSION_BUSY", { sessionId: this.id, limit: this.options.limits.queueLimit });
    }
    const promptId = randomUUID();
    this.messageCount++;
    this.touch();
    this.emit({ type: "userMessage", data: { promptId, text: prompt.text, images: prompt.images?.length ?? 0 } });
    if (runsNow) {
      this.startTurn(promptId, prompt);
      return { promptId, queuePosition: 0 };
    }
    this.queue.push({ promptId, prompt });
    return { promptId, queuePosition: this.queue.length };
  }

  /** First answer wins; later ones throw PERMISSION_NOT_PENDING. */
  answerPermission(permissionId: string, answer: PermissionClientAnswer, client?: string): void {
    this.assertOpen();
    this.touch();
    this.permissions.answer(permissionId, answer, client);
  }

  /** Stops the running turn (the process stays) and drops our queue. */
  async interrupt(): Promise<{ interrupted: boolean; droppedPromptIds: string[] }> {
    this.assertOpen();
    this.touch();
    const dropped = this.queue.splice(0).map((q) => q.promptId);
    const turn = this.turn;
    if (turn) turn.interrupted = true;
    if (turn || dropped.length > 0) this.emitUpdate("interrupted", dropped);
    // A turn still waiting for its process never reached Claude: it simply ends.
    if (turn && !turn.process) this.endTurn(turn, "interrupted");
    const proc = turn?.process;
    if (proc?.alive) {
      try {
        await proc.interrupt();
      } catch (error) {
        this.logger.warn({ err: error }, "interrupt was not acknowledged");
      }
    }
    return { interrupted: turn !== undefined, droppedPromptIds: dropped };
  }

  keepAlive(): void {
    this.assertOpen();
    this.touch();
  }

  async setPermissionMode(mode: PermissionMode): Promise<void> {
    this.assertOpen();
    const previous = this.spawn.permissionMode;
    this.spawn.permissionMode = mode;
    try {
      if (this.proc?.alive) await this.proc.setPermissionMode(mode);
    } catch (error) {
      this.spawn.permissionMode = previous;
      throw error;
    }
    this.touch();
    this.emitUpdate("permission-mode-changed");
  }

  /** null returns to the CLI's default model. */
  async setModel(model: string | null): Promise<void> {
    this.assertOpen();
    const previous = this.spawn.model;
    if (model === null) delete this.spawn.model;
    else this.spawn.model = model;
    try {
      if (this.proc?.alive) await this.proc.setModel(model);
    } catch (error) {
      if (previous === undefined) delete this.spawn.model;
      else this.spawn.model = previous;
      throw error;
    }
    this.reportedModel = undefined;
    this.touch();
    this.emitUpdate("model-changed");
  }

  info(): SessionInfo {
    const model = this.model;
    return {
      sessionId: this.id,
      state: this.currentState,
      workingDirectory: this.workingDirectory,
      permissionMode: this.spawn.permissionMode,
      ...(model !== undefined ? { model } : {}),
      createdAt: this.createdAt,
      lastActivity: this.lastActivity,
      messageCount: this.messageCount,
      queueLength: this.queue.length,
      lastSeq: this.log.lastSeq,
      pendingPermissions: this.permissions.list(),
      process: this.proc?.pid !== undefined ? (this.stats ?? { pid: this.proc.pid, cpu: 0, rssBytes: 0 }) : null,
      lastResult: this.lastResult,
    };
  }

  /** Resolves pending permissions, stops the process, state closed. Idempotent; resolves when the process exited. */
  close(reason = "closed"): Promise<void> {
    if (this.closing) return this.closing;
    this.watchdog.disarm();
    this.idle.disarm();
    if (this.statsTimer) clearInterval(this.statsTimer);
    const dropped = this.queue.splice(0).map((q) => q.promptId);
    this.permissions.cancelAll("shutdown", `The session was closed (${reason}).`);
    this.permissions.dispose();
    const turn = this.turn;
    this.turn = undefined;
    if (turn?.killTimer) clearTimeout(turn.killTimer);
    this.setState("close", reason, dropped);
    const proc = this.proc;
    this.detach();
    this.closing = this.stopProcess(proc, turn !== undefined);
    this.options.onClosed?.(this);
    return this.closing;
  }

  private async stopProcess(proc: ClaudeProcess | undefined, turnRunning: boolean): Promise<void> {
    if (!proc) return;
    try {
      // An interrupted turn writes its result to the transcript before stdin closes (protocol doc §5).
      if (turnRunning && proc.alive) await Promise.race([proc.interrupt().catch(() => undefined), delay(500)]);
      await proc.stop();
    } catch (error) {
      this.logger.warn({ err: error }, "stopping Claude failed; killing it");
      proc.kill();
      await proc.exited;
    }
  }

  private startTurn(promptId: string, prompt: PromptInput): void {
    const turn: Turn = { promptId, process: undefined, interrupted: false };
    this.turn = turn;
    this.setState("turn-start", "turn-started");
    const retiring = this.retiring;
    if (retiring?.alive) void retiring.exited.then(() => this.runTurn(turn, prompt));
    else this.runTurn(turn, prompt);
  }

  private runTurn(turn: Turn, prompt: PromptInput): void {
    if (this.turn !== turn) return;
    let proc: ClaudeProcess;
    try {
      proc = this.ensureProcess();
    } catch (error) {
      this.emitCaughtError(error);
      this.endTurn(turn, "spawn-failed");
      return;
    }
    turn.process = proc;
    this.lastClaudeEventAt = this.options.now();
    this.watchdog.arm();
    // A process that is already gone (never started, or died) ends the turn through its exit handler.
    if (!proc.alive) return;
    try {
      proc.sendUserMessage(toUserContent(prompt), turn.promptId);
    } catch (error) {
      this.logger.warn({ err: error }, "could not send the prompt; waiting for the process exit");
    }
  }

  private endTurn(turn: Turn, reason: string, dropQueue = false): void {
    if (this.turn !== turn) return;
    this.turn = undefined;
    this.watchdog.disarm();
    if (turn.killTimer) clearTimeout(turn.killTimer);
    if (turn.process) this.permissions.cancelAll("cancelled", "The turn ended.", turn.process);
    const dropped = dropQueue ? this.queue.splice(0).map((q) => q.promptId) : [];
    if (this.currentState === "closed") return;
    this.setState("turn-end", reason, dropped);
    this.touch();
    const next = this.queue.shift();
    if (next) this.startTurn(next.promptId, next.prompt);
  }

  private ensureProcess(): ClaudeProcess {
    if (this.proc?.alive && this.proc !== this.retiring) return this.proc;
    // A dead process whose exit is not yet reported: its exit handler still reports it.
    if (this.proc) this.detach();
    const proc = this.options.startClaude({
      ...this.spawn,
      allowedTools: [...this.spawn.allowedTools],
      cwd: this.workingDirectory,
      sessionId: this.id,
      resume: this.transcriptExists,
    });
    this.logger.info({ pid: proc.pid, resume: this.transcriptExists }, "Claude process started");
    this.attach(proc);
    return proc;
  }

  private attach(proc: ClaudeProcess): void {
    this.proc = proc;
    this.unsubscribe = proc.onEvent((event) => this.onClaudeEvent(proc, event));
    void proc.exited.then((exit) => this.onExit(proc, exit));
    proc.ready().then(
      () => {
        if (this.proc === proc && this.currentState === "created") this.setState("ready", "ready");
      },
      // The exit handler reports a process that died before it was ready, with this reason if it never started.
      (error: unknown) => this.startErrors.set(proc, error),
    );
  }

  private detach(): void {
    if (this.retiring === this.proc) this.retiring = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.proc = undefined;
    this.stats = null;
  }

  private onClaudeEvent(proc: ClaudeProcess, event: ClaudeEvent): void {
    if (proc !== this.proc) return;
    const now = this.options.now();
    this.lastActivity = now;
    this.lastClaudeEventAt = now;
    if (isStreamClaudeEvent(event)) {
      if (event.kind === "init") {
        // system/init comes once Claude has taken the user message: from now on a transcript exists.
        this.transcriptExists = true;
        if (event.model !== undefined) this.reportedModel = event.model;
      }
      this.emit(mapStreamEvent(event));
      return;
    }
    switch (event.kind) {
      case "permissionRequest":
        this.permissions.add(event, proc);
        return;
      case "permissionCancelled":
        this.permissions.cancel(event.requestId);
        return;
      case "permissionModeChanged":
        if ((PERMISSION_MODES as readonly string[]).includes(event.mode)) {
          this.spawn.permissionMode = event.mode as PermissionMode;
          this.emitUpdate("permission-mode-changed");
        }
        return;
      case "result":
        this.onResult(event);
        return;
    }
  }

  private onResult(event: Extract<ClaudeEvent, { kind: "result" }>): void {
    this.transcriptExists = true;
    const turn = this.turn;
    const promptIds = event.userMessageUuids.length > 0 ? event.userMessageUuids : turn ? [turn.promptId] : [];
    const data: StreamComplete = {
      result: event.result,
      isError: event.isError,
      subtype: event.subtype,
      promptIds,
      ...(event.usage !== undefined ? { usage: event.usage as Usage } : {}),
      ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}),
      ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
      ...(event.numTurns !== undefined ? { numTurns: event.numTurns } : {}),
      ...(event.terminalReason !== undefined ? { terminalReason: event.terminalReason } : {}),
    };
    if (event.isError && turn && !turn.interrupted && !turn.abortReason) {
      this.emitError("CLAUDE_ERROR", { reason: event.result || event.subtype }, { subtype: event.subtype, terminalReason: event.terminalReason });
    }
    this.lastResult = data;
    this.emit({ type: "streamComplete", data });
    if (turn) this.endTurn(turn, turn.abortReason ?? (turn.interrupted ? "interrupted" : "turn-complete"));
  }

  private onExit(proc: ClaudeProcess, exit: ClaudeExit): void {
    this.logger.info({ pid: proc.pid, exitCode: exit.exitCode, signal: exit.signal, requested: exit.requested }, "Claude process exited");
    const current = this.proc === proc;
    if (current) this.detach();
    if (this.currentState === "closed") return;
    this.permissions.cancelAll("cancelled", "Claude Code exited.", proc);
    const startError = proc.pid === undefined ? this.startErrors.get(proc) : undefined;
    if (startError instanceof CompanionError) this.emitCaughtError(startError); // e.g. CLAUDE_UNAVAILABLE
    else if (!exit.requested) {
      this.emitError("CLAUDE_EXITED", { exitCode: exit.exitCode, signal: exit.signal }, { stderrTail: exit.stderrTail });
    }
    const turn = this.turn;
    if (turn && turn.process === proc) this.endTurn(turn, turn.abortReason ?? "claude-exited", true);
    else if (current && this.currentState === "created") this.setState("ready", "claude-exited");
  }

  // Claude has been silent for claudeTimeoutMs during a turn (not waiting on a permission answer).
  private onSilence(): void {
    const turn = this.turn;
    if (!turn || turn.abortReason || this.permissions.size > 0) return;
    const timeoutMs = this.options.limits.claudeTimeoutMs;
    this.logger.warn({ timeoutMs }, "Claude was silent during a turn; interrupting");
    this.emitError("CLAUDE_TIMEOUT", { timeoutMs });
    this.abortTurn(turn, "claude-timeout", (proc) => {
      turn.killTimer = setTimeout(() => proc.kill(), this.options.limits.timeoutKillGraceMs);
      turn.killTimer.unref?.();
    });
  }

  private onIdle(): void {
    // A running turn is not idleness; the turn's end touches the session and re-arms this.
    if (this.currentState === "closed" || this.turn || this.permissions.size > 0) return;
    this.logger.info({ timeoutMs: this.options.limits.sessionTimeoutMs }, "session idle; closing it");
    void this.close("idle-timeout");
  }

  /** Stops a turn we gave up on: drops the queue, interrupts, then `then` (kill timer or stop). */
  private abortTurn(turn: Turn, reason: string, then: (proc: ClaudeProcess) => void): void {
    turn.abortReason = reason;
    const dropped = this.queue.splice(0).map((q) => q.promptId);
    if (dropped.length > 0) this.emitUpdate(reason, dropped);
    const proc = turn.process;
    if (!proc) return;
    proc.interrupt().catch(() => undefined);
    then(proc);
  }

  private async sampleStats(): Promise<void> {
    const proc = this.proc;
    if (!proc || this.sampling || proc === this.retiring) return;
    this.sampling = true;
    let sample: { cpu: number; rssBytes: number } | null = null;
    try {
      sample = await proc.stats();
    } catch (error) {
      this.logger.debug({ err: error }, "process stats failed");
    } finally {
      this.sampling = false;
    }
    if (!sample || proc !== this.proc || proc === this.retiring || proc.pid === undefined) return;
    this.stats = { pid: proc.pid, cpu: sample.cpu, rssBytes: sample.rssBytes };
    const limitMb = this.options.limits.memoryLimitMb;
    if (limitMb > 0 && sample.rssBytes > limitMb * MiB) {
      const rssMb = Math.round(sample.rssBytes / MiB);
      this.logger.warn({ rssMb, limitMb }, "Claude is over its memory limit; stopping it");
      this.emitError("RESOURCE_LIMIT", { rssMb, limitMb });
      const turn = this.turn;
      if (turn && turn.process === proc) this.abortTurn(turn, "resource-limit", () => undefined);
      // It stays this.proc until it has exited, so a new prompt waits instead of running a second process.
      this.retiring = proc;
      void proc.stop().catch(() => proc.kill());
    }
  }

  private touch(): void {
    this.lastActivity = this.options.now();
    if (this.currentState !== "closed") this.idle.arm();
  }

  private assertOpen(): void {
    if (this.currentState === "closed" || this.closing) throw new CompanionError("SESSION_CLOSED", { sessionId: this.id });
  }

  private setState(event: SessionTransitionEvent, reason: string, droppedPromptIds: string[] = []): void {
    const previousState = this.currentState;
    this.currentState = transition(previousState, event);
    this.emitUpdate(reason, droppedPromptIds, previousState);
  }

  private emitUpdate(reason: string, droppedPromptIds: string[] = [], previousState?: SessionState): void {
    const model = this.model;
    this.emit({
      type: "sessionUpdate",
      data: {
        state: this.currentState,
        ...(previousState !== undefined ? { previousState } : {}),
        reason,
        queueLength: this.queue.length,
        permissionMode: this.spawn.permissionMode,
        ...(model !== undefined ? { model } : {}),
        ...(droppedPromptIds.length > 0 ? { droppedPromptIds } : {}),
      },
    });
  }

  private emitError(code: ErrorCode, params: ErrorParams, details: Record<string, unknown> = {}): void {
    const error = new CompanionError(code, params, details);
    this.emit({ type: "sessionError", data: { code, message: error.message, details: error.details } });
  }

  private emitCaughtError(error: unknown): void {
    if (error instanceof CompanionError) {
      this.emit({ type: "sessionError", data: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    this.logger.error({ err: error }, "unexpected error in a session");
    this.emitError("INTERNAL", {});
  }

  private emit(event: NewSessionEvent): void {
    this.log.append(event);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
