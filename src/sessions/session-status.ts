// What a session tells its clients about itself: its state (moved by the table in state-machine.ts), updates, errors, results, the headline; every event reaches the log through here.
import type { SessionGrant } from "../protocol/grants.js";
import type { Logger } from "pino";
import type { PermissionMode, SessionState } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import type { NewSessionEvent } from "../protocol/events.js";
import type { SessionInfo } from "../protocol/sessions.js";
import { DeltaCoalescer } from "./coalesce.js";
import { cutTurnComplete } from "./cut-turn.js";
import type { EventLog } from "./event-log.js";
import { nextHeadline, type Headline } from "../protocol/headline.js";
import type { RestoredState } from "./restore.js";
import { errorEvent, fromCompanionError, updateEvent, type StreamComplete, type UpdateFields } from "./session-events.js";
import { cannotStartOf, nextStartFailure, type StartFailureState } from "./start-failure.js";
import { transition, type SessionTransitionEvent } from "./state-machine.js";

export interface SessionStatusOptions {
  log: EventLog;
  logger: Logger;
  /** Flush interval of coalesced text deltas (ms); default that of coalesce.ts. */
  deltaFlushMs?: number;
  restored?: RestoredState;
  /** The fields of every sessionUpdate that the session's other parts own. */
  current: () => { queueLength: number; permissionMode: PermissionMode; model: string | undefined; grants?: SessionGrant[] | undefined };
}

export class SessionStatus {
  /** Text deltas of one block, coalesced into one event per flush interval. */
  readonly deltas: DeltaCoalescer;
  private currentState: SessionState = "created";
  private result: StreamComplete | null = null;
  private headlineNow: Headline = {};
  private startFailureNow: StartFailureState | null = null;
  // Whether the last sessionUpdate said the session cannot start (a change is announced, see announceStartFailure).
  private announcedCannotStart = false;

  constructor(private readonly options: SessionStatusOptions) {
    const { log, restored, deltaFlushMs } = options;
    if (restored) {
      this.result = restored.lastResult;
      this.headlineNow = restored.headline;
      this.startFailureNow = restored.startFailure;
      this.announcedCannotStart = restored.startFailure?.cannotStart ?? false;
      this.currentState = restored.closed ? "closed" : "idle";
    }
    this.deltas = new DeltaCoalescer({ emit: (e) => log.append(e), ...(deltaFlushMs !== undefined ? { flushMs: deltaFlushMs } : {}) });
  }

  get state(): SessionState {
    return this.currentState;
  }

  get lastResult(): StreamComplete | null {
    return this.result;
  }

  get headline(): Headline {
    return this.headlineNow;
  }

  /** SessionInfo.cannotStart: present while Claude cannot start in this session (start-failure.ts). */
  get cannotStart() {
    return cannotStartOf(this.startFailureNow);
  }

  /** SessionInfo's fields from what the session reported: lastResult, the headline (title, lastMessage), cannotStart while it holds. */
  infoFields(): Pick<SessionInfo, "lastResult" | "title" | "lastMessage" | "cannotStart"> {
    const cannotStart = this.cannotStart;
    return { lastResult: this.result, ...this.headlineNow, ...(cannotStart ? { cannotStart } : {}) };
  }

  /** A sessionUpdate when whether the session can start changed since the last one said (e.g. an idle process failed). */
  announceStartFailure(): void {
    if ((this.startFailureNow?.cannotStart ?? false) !== this.announcedCannotStart) this.update("cannot-start");
  }

  /** Moves the state by the table (illegal transitions throw) and says so in a sessionUpdate. */
  setState(event: SessionTransitionEvent, reason: string, droppedPromptIds: string[] = [], extra: Pick<UpdateFields, "transcriptSeq"> = {}): void {
    const previousState = this.currentState;
    this.currentState = transition(previousState, event);
    this.update(reason, droppedPromptIds, previousState, extra);
  }

  update(reason: string, droppedPromptIds: string[] = [], previousState?: SessionState, extra: Pick<UpdateFields, "transcriptSeq"> = {}): void {
    const { queueLength, permissionMode, model, grants } = this.options.current();
    const cannotStart = this.cannotStart;
    this.announcedCannotStart = cannotStart !== undefined;
    this.emit(
      updateEvent({
        state: this.currentState,
        reason,
        queueLength,
        permissionMode,
        droppedPromptIds,
        ...(previousState !== undefined ? { previousState } : {}),
        ...(model !== undefined ? { model } : {}),
        ...(cannotStart !== undefined ? { cannotStart } : {}),
        ...extra,
        ...(grants !== undefined ? { grants } : {}),
      }),
    );
  }

  /** The turn's streamComplete, kept as the session's lastResult. */
  complete(data: StreamComplete): void {
    this.result = data;
    this.emit({ type: "streamComplete", data });
  }

  /** The one streamComplete of a turn Claude did not finish (see cut-turn.ts for the subtypes). */
  cutTurn(reason: string, promptIds: string[]): void {
    this.complete(cutTurnComplete(reason, promptIds));
  }

  /** A CompanionError as its sessionError; anything else is logged and reported as INTERNAL. */
  caught(error: unknown): void {
    if (error instanceof CompanionError) return this.emit(fromCompanionError(error));
    this.options.logger.error({ err: error }, "unexpected error in a session");
    this.emit(errorEvent("INTERNAL", {}));
  }

  /**
   * A session read back from disk: permission requests left open by the old daemon expire, and a turn it was
   * running is reported ended.
   */
  announceRestore(restored: RestoredState | undefined): void {
    const message = "The daemon restarted before this request was answered; it expired. Send the prompt again.";
    for (const permissionId of restored?.openPermissions ?? []) {
      this.emit({ type: "permissionResolved", data: { permissionId, decision: "deny", by: "shutdown", message } });
    }
    if (restored?.cutTurn) {
      // The old daemon died mid-turn: that turn ends now, and prompts queued behind it are reported dropped.
      const [cut, ...queued] = restored.unansweredPromptIds;
      this.cutTurn("daemon-restarted", cut !== undefined ? [cut] : []);
      this.update("daemon-restarted", queued, "active");
    } else if (restored?.lastState === "active") this.update("daemon-restarted", [], "active");
  }

  emit(event: NewSessionEvent): void {
    this.deltas.flush();
    const record = this.options.log.append(event);
    this.headlineNow = nextHeadline(this.headlineNow, event);
    this.startFailureNow = nextStartFailure(this.startFailureNow, record.event);
  }
}
