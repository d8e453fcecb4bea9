// One session: state, event log, permissions, timers and the one Claude process behind it; no HTTP, no spawning of its own.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ClaudeProcess, StartClaude } from "../claude/types.js";
import type { PermissionMode, SessionState } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import type { NewSessionEvent } from "../protocol/events.js";
import type { SessionInfo, SessionProcess } from "../protocol/sessions.js";
import { Deadline } from "./deadline.js";
import { EventLog, type EventLogLimits, type LogRecord } from "./event-log.js";
import { DeltaCoalescer } from "./coalesce.js";
import { createClaudeEventHandler, type ClaudeEventHandler } from "./claude-events.js";
import { PendingPermissions, type PermissionClientAnswer } from "./permissions.js";
import { ProcessSlot } from "./process-slot.js";
import type { ProcessTree } from "../claude/process-tree.js";
import { ResourceMonitor } from "./resource-monitor.js";
import { defaultProcessTree, SessionTree, toSessionProcess } from "./session-tree.js";
import { createLimitReactions, type LimitReactions } from "./limit-reactions.js";
import { errorEvent, fromCompanionError, updateEvent, type StreamComplete } from "./session-events.js";
import { cutTurnComplete } from "./cut-turn.js";
import type { RestoredState } from "./restore.js";
import { nextHeadline, type Headline } from "./headline.js";
import { transition, type SessionTransitionEvent } from "./state-machine.js";
import { TurnRunner } from "./turns.js";
import type { PromptInput, SendResult, SessionLimits, SpawnSettings } from "./types.js";

export type { StreamComplete } from "./session-events.js";

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
  /** Called with each record before any listener (e.g. a JSONL writer); see EventLogOptions.persist. */
  persist?: (record: LogRecord) => void;
  /** A log to continue (a closed session resumed in this daemon keeps its seq numbers). */
  log?: EventLog;
  /** An already spawned process for this id (from the warm pool). */
  process?: ClaudeProcess;
  /** Called once when the session is closed, before its process has exited (`close()` then returns that wait). */
  onClosed?: (session: Session) => void;
  /** Throws FORBIDDEN_PATH when the directory may no longer be used; run before every prompt and spawn. */
  checkDirectory?: (dir: string) => void;
  /** State read back from disk after a daemon restart; the log is then given in `log`. */
  restored?: RestoredState;
  /** The processes the session owns (its Claude and all it starts). Default: the /proc-based one. */
  processTree?: ProcessTree;
  /** Called when a Claude process was spawned or adopted (its pid and start time go into the meta). */
  onSpawn?: (session: Session) => void;
}
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
  private transcriptExists: boolean;
  /** pid + start time of the last Claude process spawned for this session. */
  claudeIdentity: { pid: number; startTime: string } | undefined;
  private lastResult: StreamComplete | null = null;
  private headline: Headline = {};
  private closing: Promise<void> | undefined;
  private readonly logger: Logger;
  private readonly permissions: PendingPermissions;
  private readonly slot: ProcessSlot;
  private readonly turns: TurnRunner;
  private readonly idle: Deadline;
  private readonly monitor: ResourceMonitor;
  private readonly tree: SessionTree;
  private readonly overLimit: LimitReactions;
  private readonly claude: ClaudeEventHandler;
  // Text deltas of one block, coalesced into one event per flush interval.
  private readonly deltas: DeltaCoalescer;

  constructor(private readonly options: SessionOptions) {
    const { now, limits } = options;
    this.id = options.id;
    this.workingDirectory = options.workingDirectory;
    this.spawn = { ...options.spawn, allowedTools: [...options.spawn.allowedTools] };
    this.transcriptExists = options.resume;
    this.createdAt = options.restored?.createdAt ?? now();
    this.lastActivity = options.restored?.lastActivity ?? this.createdAt;
    if (options.restored) {
      this.messageCount = options.restored.messageCount;
      this.lastResult = options.restored.lastResult;
      this.headline = options.restored.headline;
      this.currentState = options.restored.closed ? "closed" : "idle";
    }
    this.logger = options.logger.child({ room: "sessions", sessionId: options.id });
    this.log =
      options.log ??
      new EventLog({
        sessionId: options.id,
        now,
        ...options.eventLogLimits,
        ...(options.persist ? { persist: options.persist } : {}),
        onError: (err, where) => this.logger.error({ err, where }, "session event log hook failed"),
      });
    const flushMs = options.eventLogLimits?.deltaFlushMs;
    this.deltas = new DeltaCoalescer({ emit: (e) => this.log.append(e), ...(flushMs !== undefined ? { flushMs } : {}) });
    this.permissions = new PendingPermissions({
      timeoutMs: limits.permissionTimeoutMs,
      now,
      logger: this.logger,
      emit: (e) => this.emit(e),
      onSettled: () => this.turns.resumeWatch(),
      onWriteError: (proc, error) => {
        const turn = this.turns.current;
        if (turn && turn.process === proc) this.claude.onWriteFailed(turn, error);
      },
    });
    this.slot = new ProcessSlot({
      startClaude: (spawnOptions) => this.spawned(options.startClaude(spawnOptions)),
      logger: this.logger,
      spawnOptions: () => {
        this.options.checkDirectory?.(this.workingDirectory);
        return { ...this.spawn, allowedTools: [...this.spawn.allowedTools], cwd: this.workingDirectory, sessionId: this.id, resume: this.transcriptExists };
      },
      onEvent: (proc, event) => this.claude.onEvent(proc, event),
      onReady: () => {
        if (this.currentState === "created") this.setState("ready", "ready");
      },
      onExit: (proc, exit, info) => this.claude.onExit(proc, exit, info),
    });
    this.turns = new TurnRunner({
      now,
      logger: this.logger,
      limits,
      slot: this.slot,
      waitingOnUser: () => this.permissions.size > 0,
      onTurnStart: () => this.setState("turn-start", "turn-started"),
      onTurnEnd: (turn, reason, dropped) => {
        if (turn.process) this.permissions.cancelAll("cancelled", "The turn ended.", turn.process);
        if (!turn.completed) this.emitCutTurn(reason, [turn.promptId]);
        if (this.currentState === "closed") return false;
        this.setState("turn-end", reason, dropped);
        this.touch();
        return true;
      },
      onQueueDropped: (reason, dropped) => this.emitUpdate(reason, dropped),
      onSpawnError: (error) => this.emitCaughtError(error),
      onWriteError: (turn, error) => this.claude.onWriteFailed(turn, error),
      onSilence: (timeoutMs) => {
        this.logger.warn({ timeoutMs }, "Claude was silent during a turn; interrupting");
        this.emit(errorEvent("CLAUDE_TIMEOUT", { timeoutMs }));
      },
    });
    this.claude = createClaudeEventHandler({
      now,
      logger: this.logger,
      slot: this.slot,
      turns: this.turns,
      permissions: this.permissions,
      deltas: this.deltas,
      state: () => this.currentState,
      heard: (at) => (this.lastActivity = at),
      transcriptStarted: () => (this.transcriptExists = true),
      modelReported: (model) => (this.reportedModel = model),
      permissionModeChanged: (mode) => {
        this.spawn.permissionMode = mode;
        this.emitUpdate("permission-mode-changed");
      },
      complete: (data) => this.complete(data),
      emit: (e) => this.emit(e),
      setState: (event, reason) => this.setState(event, reason),
    });
    this.idle = new Deadline({ ms: limits.sessionTimeoutMs, now, since: () => this.lastActivity, onExpire: () => this.onIdle() });
    this.tree = new SessionTree({
      sessionId: options.id,
      tree: options.processTree ?? defaultProcessTree(),
      limits,
      logger: this.logger,
      // A process being stopped is not the root of the tree any more: one RESOURCE_LIMIT per process.
      claude: () => this.slot.usable,
      onMemory: (rssMb, sample) => this.overLimit.onMemory(rssMb, sample),
      onCpu: (offenders, cpu) => this.overLimit.onCpu(offenders, cpu),
    });
    this.overLimit = createLimitReactions({ limits, logger: this.logger, emit: (e) => this.emit(e), slot: this.slot, turns: this.turns, tree: this.tree });
    this.monitor = new ResourceMonitor({ intervalMs: limits.statsIntervalMs, tick: () => this.tree.tick(), logger: this.logger });
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
    return this.turns.queueLength;
  }

  /** The live process (undefined between a crash or idle stop and the next prompt). */
  get process(): ClaudeProcess | undefined {
    return this.slot.current;
  }

  /** Announces the session and spawns (or adopts) its process; sends the first prompt if given. */
  start(prompt?: PromptInput): SendResult | undefined {
    this.emitUpdate("created");
    this.monitor.start();
    if (this.options.process) this.slot.adopt(this.spawned(this.options.process));
    if (prompt) return this.send(prompt);
    if (!this.slot.current) {
      try {
        this.slot.ensure();
      } catch (error) {
        this.emitCaughtError(error);
        this.setState("ready", "spawn-failed");
      }
    }
    this.idle.arm();
    return undefined;
  }

  /**
   * Takes up a session read back from disk: no process (the next prompt resumes the conversation), permission
   * requests left open by the old daemon expire, and a turn it was running is reported ended.
   */
  restore(): void {
    if (this.currentState === "closed") {
      this.closing = Promise.resolve();
      return;
    }
    const restored = this.options.restored;
    const message = "The daemon restarted before this request was answered; it expired. Send the prompt again.";
    for (const permissionId of restored?.openPermissions ?? []) {
      this.emit({ type: "permissionResolved", data: { permissionId, decision: "deny", by: "shutdown", message } });
    }
    if (restored?.cutTurn) {
      // The old daemon died mid-turn: that turn ends now, and prompts queued behind it are reported dropped.
      const [cut, ...queued] = restored.unansweredPromptIds;
      this.emitCutTurn("daemon-restarted", cut !== undefined ? [cut] : []);
      this.emitUpdate("daemon-restarted", queued, "active");
    } else if (restored?.lastState === "active") this.emitUpdate("daemon-restarted", [], "active");
    this.monitor.start();
    this.idle.arm();
  }

  /**
   * Daemon shutdown: clients are told, a running turn is interrupted, the process stopped; the session stays
   * open (idle, no process) so that it is restored on the next start. Resolves when the process exited.
   */
  suspend(reason = "daemon-shutdown"): Promise<void> {
    return this.teardown("The daemon is shutting down.", reason, (dropped) => {
      if (this.currentState === "active") this.setState("turn-end", reason, dropped);
      else this.emitUpdate(reason, dropped);
    });
  }

  /** Runs a prompt now or queues it; position 0 runs at once. Throws SESSION_CLOSED, SESSION_BUSY or FORBIDDEN_PATH. */
  send(prompt: PromptInput): SendResult {
    this.assertOpen();
    this.options.checkDirectory?.(this.workingDirectory);
    const limit = this.options.limits.queueLimit;
    if (!this.turns.free && this.turns.queueLength >= limit) throw new CompanionError("SESSION_BUSY", { sessionId: this.id, limit });
    const promptId = randomUUID();
    this.messageCount++;
    this.touch();
    this.emit({ type: "userMessage", data: { promptId, text: prompt.text, images: prompt.images?.length ?? 0 } });
    return { promptId, queuePosition: this.turns.submit(promptId, prompt) };
  }

  /** First answer wins; later ones throw PERMISSION_NOT_PENDING. */
  answerPermission(permissionId: string, answer: PermissionClientAnswer, client?: string): void {
    this.assertOpen();
    this.touch();
    this.permissions.answer(permissionId, answer, client);
  }

  /** Stops the running turn (the process stays: interrupt with cancel_queued) and drops our queue. */
  async interrupt(): Promise<{ interrupted: boolean; droppedPromptIds: string[] }> {
    this.assertOpen();
    this.touch();
    const dropped = this.turns.dropQueue();
    const turn = this.turns.current;
    if (turn) turn.interrupted = true;
    if (turn || dropped.length > 0) this.emitUpdate("interrupted", dropped);
    // A turn still waiting for its process never reached Claude: it simply ends.
    if (turn && !turn.process) this.turns.end(turn, "interrupted");
    if (turn?.process?.alive) {
      await turn.process.interrupt().catch((err: unknown) => this.logger.warn({ err }, "interrupt was not acknowledged"));
    }
    return { interrupted: turn !== undefined, droppedPromptIds: dropped };
  }

  keepAlive(): void {
    this.assertOpen();
    this.touch();
  }

  async setPermissionMode(mode: PermissionMode): Promise<void> {
    await this.changeSetting("permission-mode-changed", { permissionMode: mode }, (proc) => proc.setPermissionMode(mode));
  }

  /** null returns to the CLI's default model. */
  async setModel(model: string | null): Promise<void> {
    await this.changeSetting("model-changed", { model: model ?? undefined }, (proc) => proc.setModel(model));
    this.reportedModel = undefined;
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
      queueLength: this.turns.queueLength,
      lastSeq: this.log.lastSeq,
      pendingPermissions: this.permissions.list(),
      process: this.tree.processInfo(this.slot.current?.pid, this.options.now()),
      lastResult: this.lastResult,
      ...this.headline,
    };
  }

  /** The session's processes now, its Claude excluded (tool commands, background jobs). */
  backgroundProcesses(): SessionProcess[] {
    return this.tree.children().map(toSessionProcess);
  }

  /** Stops one background process and what runs below it (SIGTERM, then SIGKILL). Throws PROCESS_NOT_IN_SESSION. */
  async stopBackgroundProcess(pid: number): Promise<{ terminated: number; killed: number }> {
    const member = this.tree.children().find((m) => m.pid === pid);
    if (!member) throw new CompanionError("PROCESS_NOT_IN_SESSION", { pid, sessionId: this.id });
    this.logger.info({ pid, command: member.command }, "stopping a background process at a client's request");
    return this.tree.stopSome([member]);
  }

  /** Resolves pending permissions, stops the process, state closed. Idempotent; resolves when the process exited. */
  close(reason = "closed"): Promise<void> {
    if (this.closing) return this.closing;
    const done = this.teardown(`The session was closed (${reason}).`, reason, (dropped) => this.setState("close", reason, dropped));
    this.options.onClosed?.(this);
    return done;
  }

  /**
   * The one teardown of close and suspend, run once: timers stop, the queue and the turn are dropped, pending
   * permissions are cancelled, a running turn gets its streamComplete, `announce` reports the new state, then the
   * process is stopped.
   */
  private teardown(permissionMessage: string, reason: string, announce: (droppedPromptIds: string[]) => void): Promise<void> {
    if (this.closing) return this.closing;
    this.deltas.close();
    this.idle.disarm();
    this.monitor.stop();
    const dropped = this.turns.dropQueue();
    const turn = this.turns.clear();
    this.permissions.cancelAll("shutdown", permissionMessage);
    this.permissions.dispose();
    if (turn && !turn.completed) this.emitCutTurn(reason, [turn.promptId]);
    announce(dropped);
    this.closing = this.stopProcesses(turn !== undefined);
    return this.closing;
  }

  private async changeSetting(reason: string, patch: Partial<SpawnSettings>, forward: (proc: ClaudeProcess) => Promise<void>): Promise<void> {
    this.assertOpen();
    // Forwarded to the live process first; stored either way for the next spawn.
    const proc = this.slot.usable;
    if (proc?.alive) await forward(proc);
    Object.assign(this.spawn, patch);
    if ("model" in patch && patch.model === undefined) delete this.spawn.model;
    this.touch();
    this.emitUpdate(reason);
  }

  private onIdle(): void {
    // A running turn is not idleness; the turn's end touches the session and re-arms this.
    if (this.currentState === "closed" || this.turns.current || this.permissions.size > 0) return;
    this.logger.info({ timeoutMs: this.options.limits.sessionTimeoutMs }, "session idle; closing it");
    void this.close("idle-timeout");
  }

  /** Claude is stopped on its own schedule (stdin EOF first); everything else it started gets SIGTERM at once, then the rest. */
  private async stopProcesses(interruptFirst: boolean): Promise<void> {
    const claudePid = this.slot.current?.pid;
    const others = this.tree.stop(claudePid !== undefined ? [claudePid] : []);
    await this.slot.close(interruptFirst);
    await others;
    await this.tree.stop();
  }

  private spawned(proc: ClaudeProcess): ClaudeProcess {
    if (proc.pid !== undefined && proc.startTime !== undefined) {
      this.claudeIdentity = { pid: proc.pid, startTime: proc.startTime };
      this.options.onSpawn?.(this);
    }
    return proc;
  }

  /** The one streamComplete of a turn Claude did not finish (see cut-turn.ts for the subtypes). */
  private emitCutTurn(reason: string, promptIds: string[]): void {
    this.complete(cutTurnComplete(reason, promptIds));
  }

  private complete(data: StreamComplete): void {
    this.lastResult = data;
    this.emit({ type: "streamComplete", data });
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
    this.emit(
      updateEvent({
        state: this.currentState,
        reason,
        queueLength: this.turns.queueLength,
        permissionMode: this.spawn.permissionMode,
        droppedPromptIds,
        ...(previousState !== undefined ? { previousState } : {}),
        ...(model !== undefined ? { model } : {}),
      }),
    );
  }

  private emitCaughtError(error: unknown): void {
    if (error instanceof CompanionError) return this.emit(fromCompanionError(error));
    this.logger.error({ err: error }, "unexpected error in a session");
    this.emit(errorEvent("INTERNAL", {}));
  }

  private emit(event: NewSessionEvent): void {
    this.deltas.flush();
    this.log.append(event);
    this.headline = nextHeadline(this.headline, event);
  }
}

