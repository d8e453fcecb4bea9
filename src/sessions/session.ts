// One session: its commands, its info and its life (start, restore, suspend, close with one teardown, idle timeout); the parts it is made of live beside it. No HTTP, no spawning of its own.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ClaudeProcess } from "../claude/types.js";
import type { PermissionMode, SessionState } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import type { SessionGrant } from "../protocol/grants.js";
import type { SessionInfo, SessionProcess } from "../protocol/sessions.js";
import { Deadline } from "./deadline.js";
import { EventLog } from "./event-log.js";
import type { PendingPermissions, PermissionClientAnswer } from "./permissions.js";
import type { ProcessSlot } from "./process-slot.js";
import { revokeGrant } from "./grant-revoke.js";
import type { SessionOptions } from "./session-options.js";
import { SessionProcesses } from "./session-processes.js";
import { SessionSettings } from "./session-settings.js";
import { SessionStatus } from "./session-status.js";
import { createTurnEngine } from "./turn-engine.js";
import type { TurnRunner } from "./turns.js";
import type { PromptInput, SendResult, SpawnSettings } from "./types.js";

export type { StreamComplete } from "./session-events.js";
export type { SessionOptions } from "./session-options.js";

export class Session {
  readonly id: string;
  readonly workingDirectory: string;
  readonly createdAt: number;
  readonly log: EventLog;
  lastActivity: number;
  messageCount = 0;
  private readonly settings: SessionSettings;
  /** pid + start time of the last Claude process spawned for this session. */
  claudeIdentity: { pid: number; startTime: string } | undefined;
  private closing: Promise<void> | undefined;
  private readonly logger: Logger;
  private readonly permissions: PendingPermissions;
  private readonly slot: ProcessSlot;
  private readonly turns: TurnRunner;
  private readonly idle: Deadline;
  private readonly processes: SessionProcesses;
  private readonly status: SessionStatus;

  constructor(private readonly options: SessionOptions) {
    const { now, limits } = options;
    this.id = options.id;
    this.workingDirectory = options.workingDirectory;
    this.settings = new SessionSettings(options.spawn, options.resume, options.grants);
    this.createdAt = options.restored?.createdAt ?? now();
    this.lastActivity = options.restored?.lastActivity ?? this.createdAt;
    if (options.restored) this.messageCount = options.restored.messageCount;
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
    const deltaFlushMs = options.eventLogLimits?.deltaFlushMs;
    this.status = new SessionStatus({
      log: this.log,
      logger: this.logger,
      ...(deltaFlushMs !== undefined ? { deltaFlushMs } : {}),
      ...(options.restored ? { restored: options.restored } : {}),
      current: () => ({ queueLength: this.turns.queueLength, permissionMode: this.settings.permissionMode, model: this.settings.model, grants: this.settings.grants.forUpdate() }),
    });
    ({ slot: this.slot, turns: this.turns, permissions: this.permissions } = createTurnEngine({
      sessionId: options.id,
      workingDirectory: options.workingDirectory,
      now,
      logger: this.logger,
      limits,
      startClaude: options.startClaude,
      status: this.status,
      settings: this.settings,
      ...(options.checkDirectory ? { checkDirectory: options.checkDirectory } : {}),
      spawned: (proc) => this.spawned(proc),
      heard: (at) => (this.lastActivity = at),
      touch: () => this.touch(),
    }));
    this.idle = new Deadline({ ms: limits.sessionTimeoutMs, now, since: () => this.lastActivity, onExpire: () => this.onIdle() });
    this.processes = new SessionProcesses({
      sessionId: options.id,
      ...(options.processTree ? { processTree: options.processTree } : {}),
      limits,
      logger: this.logger,
      slot: this.slot,
      turns: this.turns,
      emit: (event) => this.status.emit(event),
    });
  }

  get state(): SessionState {
    return this.status.state;
  }

  get permissionMode(): PermissionMode {
    return this.settings.permissionMode;
  }

  get model(): string | undefined {
    return this.settings.model;
  }

  /** What "Always allow" granted and the session still holds, oldest first. */
  get grants(): SessionGrant[] {
    return this.settings.grants.all();
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
    this.status.update("created");
    this.processes.watch();
    if (this.options.process) this.slot.adopt(this.spawned(this.options.process));
    if (prompt) return this.send(prompt);
    if (!this.slot.current) {
      try {
        this.slot.ensure();
      } catch (error) {
        this.status.caught(error);
        this.status.setState("ready", "spawn-failed");
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
    if (this.status.state === "closed") {
      this.closing = Promise.resolve();
      return;
    }
    this.status.announceRestore(this.options.restored);
    this.processes.watch();
    this.idle.arm();
  }

  /**
   * Daemon shutdown: clients are told, a running turn is interrupted, the process stopped; the session stays
   * open (idle, no process) so that it is restored on the next start. Resolves when the process exited.
   */
  suspend(reason = "daemon-shutdown"): Promise<void> {
    return this.teardown("The daemon is shutting down.", reason, (dropped) => {
      if (this.status.state === "active") this.status.setState("turn-end", reason, dropped);
      else this.status.update(reason, dropped);
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
    this.status.emit({ type: "userMessage", data: { promptId, text: prompt.text, images: prompt.images?.length ?? 0 } });
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
    if (turn || dropped.length > 0) this.status.update("interrupted", dropped);
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
    this.settings.modelReported(undefined);
  }

  /** Revokes one grant: see grant-revoke.ts (GRANT_NOT_FOUND, GRANT_REVOKE_BUSY). */
  revokeGrant(grantId: string): Promise<{ restarted: boolean }> {
    this.assertOpen();
    this.touch();
    const { settings, turns, permissions, slot, status } = this;
    return revokeGrant({ sessionId: this.id, settings, turns, permissions, slot, status, setPermissionMode: (m) => this.setPermissionMode(m) }, grantId);
  }

  info(): SessionInfo {
    const model = this.model;
    return {
      sessionId: this.id,
      state: this.status.state,
      workingDirectory: this.workingDirectory,
      permissionMode: this.settings.permissionMode,
      ...(model !== undefined ? { model } : {}),
      createdAt: this.createdAt,
      lastActivity: this.lastActivity,
      messageCount: this.messageCount,
      queueLength: this.turns.queueLength,
      lastSeq: this.log.lastSeq,
      pendingPermissions: this.permissions.list(),
      grants: this.settings.grants.all(),
      process: this.processes.info(this.slot.current?.pid, this.options.now()),
      ...this.status.infoFields(),
    };
  }

  /** The session's processes now, its Claude excluded (tool commands, background jobs). */
  backgroundProcesses(): SessionProcess[] {
    return this.processes.background();
  }

  /** Stops one background process and what runs below it (SIGTERM, then SIGKILL). Throws PROCESS_NOT_IN_SESSION. */
  stopBackgroundProcess(pid: number): Promise<{ terminated: number; killed: number }> {
    return this.processes.stopOne(pid);
  }

  /**
   * Resolves pending permissions, stops the process, state closed. Idempotent; resolves when the process exited.
   * `transcriptSeq` goes into the closing sessionUpdate (a hand-over to a terminal).
   */
  close(reason = "closed", extra: { transcriptSeq?: number } = {}): Promise<void> {
    if (this.closing) return this.closing;
    const done = this.teardown(`The session was closed (${reason}).`, reason, (dropped) => this.status.setState("close", reason, dropped, extra));
    this.options.onClosed?.(this);
    return done;
  }

  /** A closed session handed over again (e.g. to a terminal): one more closing sessionUpdate, with this reason. */
  closedAgain(reason: string, extra: { transcriptSeq?: number } = {}): void {
    if (this.status.state !== "closed") throw new CompanionError("BAD_REQUEST", { reason: "closedAgain: the session is open" });
    this.status.update(reason, [], "closed", extra);
  }

  /**
   * The one teardown of close and suspend, run once: timers stop, the queue and the turn are dropped, pending
   * permissions are cancelled, a running turn gets its streamComplete, `announce` reports the new state, then the
   * process is stopped.
   */
  private teardown(permissionMessage: string, reason: string, announce: (droppedPromptIds: string[]) => void): Promise<void> {
    if (this.closing) return this.closing;
    this.status.deltas.close();
    this.idle.disarm();
    this.processes.unwatch();
    const dropped = this.turns.dropQueue();
    const turn = this.turns.clear();
    this.permissions.cancelAll("shutdown", permissionMessage);
    this.permissions.dispose();
    if (turn && !turn.completed) this.status.cutTurn(reason, [turn.promptId]);
    announce(dropped);
    this.closing = this.processes.stopAll(turn !== undefined);
    return this.closing;
  }

  private async changeSetting(reason: string, patch: Partial<SpawnSettings>, forward: (proc: ClaudeProcess) => Promise<void>): Promise<void> {
    this.assertOpen();
    // Forwarded to the live process first; stored either way for the next spawn.
    const proc = this.slot.usable;
    if (proc?.alive) await forward(proc);
    this.settings.apply(patch);
    this.touch();
    this.status.update(reason);
  }

  private onIdle(): void {
    // A running turn is not idleness; the turn's end touches the session and re-arms this.
    if (this.status.state === "closed" || this.turns.current || this.permissions.size > 0) return;
    this.logger.info({ timeoutMs: this.options.limits.sessionTimeoutMs }, "session idle; closing it");
    void this.close("idle-timeout");
  }

  private spawned(proc: ClaudeProcess): ClaudeProcess {
    if (proc.pid !== undefined && proc.startTime !== undefined) {
      this.claudeIdentity = { pid: proc.pid, startTime: proc.startTime };
      this.options.onSpawn?.(this);
    }
    return proc;
  }

  private touch(): void {
    this.lastActivity = this.options.now();
    if (this.status.state !== "closed") this.idle.arm();
  }

  private assertOpen(): void {
    if (this.status.state === "closed" || this.closing) throw new CompanionError("SESSION_CLOSED", { sessionId: this.id });
  }
}
