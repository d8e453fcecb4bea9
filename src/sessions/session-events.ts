// Builders of the session events that need more than a field copy: results, errors, state updates. Pure.
import type { SessionGrant } from "../protocol/grants.js";
import type { ClaudeEvent } from "../claude/types.js";
import type { PermissionMode, SessionState, Usage } from "../protocol/common.js";
import { CompanionError, type ErrorCode, type ErrorParams } from "../protocol/errors.js";
import type { CannotStart } from "../protocol/cannot-start.js";
import type { NewSessionEvent, SessionEventData } from "../protocol/events.js";

export type StreamComplete = SessionEventData<"streamComplete">;

/** The streamComplete data of a result; `fallbackPromptIds` when Claude named no user message. */
export function toStreamComplete(event: Extract<ClaudeEvent, { kind: "result" }>, fallbackPromptIds: string[]): StreamComplete {
  return {
    result: event.result,
    isError: event.isError,
    subtype: event.subtype,
    promptIds: event.userMessageUuids.length > 0 ? event.userMessageUuids : fallbackPromptIds,
    ...(event.usage !== undefined ? { usage: event.usage as Usage } : {}),
    ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}),
    ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
    ...(event.numTurns !== undefined ? { numTurns: event.numTurns } : {}),
    ...(event.terminalReason !== undefined ? { terminalReason: event.terminalReason } : {}),
  };
}

/** A sessionError with the error table's message for `code`. */
export function errorEvent(code: ErrorCode, params: ErrorParams, details: Record<string, unknown> = {}): NewSessionEvent {
  return fromCompanionError(new CompanionError(code, params, details));
}

export function fromCompanionError(error: CompanionError): NewSessionEvent {
  return { type: "sessionError", data: { code: error.code, message: error.message, details: error.details } };
}

export interface UpdateFields {
  state: SessionState;
  previousState?: SessionState;
  reason: string;
  queueLength: number;
  permissionMode: PermissionMode;
  model?: string;
  droppedPromptIds?: string[];
  cannotStart?: CannotStart;
  transcriptSeq?: number;
  /** The session's grants, when they are to be sent (see SessionUpdateData.grants). */
  grants?: SessionGrant[];
}

/** A sessionUpdate; empty optional fields are left out. */
export function updateEvent(f: UpdateFields): NewSessionEvent {
  return {
    type: "sessionUpdate",
    data: {
      state: f.state,
      ...(f.previousState !== undefined ? { previousState: f.previousState } : {}),
      reason: f.reason,
      queueLength: f.queueLength,
      permissionMode: f.permissionMode,
      ...(f.model !== undefined ? { model: f.model } : {}),
      ...(f.droppedPromptIds && f.droppedPromptIds.length > 0 ? { droppedPromptIds: f.droppedPromptIds } : {}),
      ...(f.cannotStart !== undefined ? { cannotStart: f.cannotStart } : {}),
      ...(f.transcriptSeq !== undefined ? { transcriptSeq: f.transcriptSeq } : {}),
      ...(f.grants !== undefined ? { grants: f.grants } : {}),
    },
  };
}
