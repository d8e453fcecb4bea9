// Turns validated client requests into session inputs (the sessions room checks their working directories).
import type { AskRequest, AskResponse, StreamStartRequest } from "../protocol/index.js";
import type { CreateSessionInput, Session, SessionManager } from "../sessions/index.js";

export interface SessionPolicy {
  createInput(body: StreamStartRequest): CreateSessionInput;
}

export function createSessionPolicy(): SessionPolicy {
  const policy: SessionPolicy = {
    createInput(body) {
      return {
        ...(body.workingDirectory !== undefined ? { workingDirectory: body.workingDirectory } : {}),
        ...(body.permissionMode ? { permissionMode: body.permissionMode } : {}),
        ...(body.model ? { model: body.model } : {}),
        ...(body.prompt ? { prompt: body.prompt } : {}),
        ...(body.images ? { images: body.images } : {}),
        ...(body.resume ? { resume: body.resume } : {}),
        ...(body.fork ? { fork: true } : {}),
      };
    },
  };
  return policy;
}

/** Default wait of an ask, ms. */
export const DEFAULT_ASK_TIMEOUT_MS = 300_000;

/** Runs a one-shot ask for REST and WS alike and shapes its reply. */
export async function runAskRequest(
  sessions: SessionManager,
  policy: SessionPolicy,
  body: AskRequest,
  onSession?: (session: Session) => void,
): Promise<AskResponse> {
  const r = await sessions.ask(
    {
      prompt: body.prompt,
      ...(body.workingDirectory !== undefined ? { workingDirectory: body.workingDirectory } : {}),
      ...(body.permissionMode ? { permissionMode: body.permissionMode } : {}),
      ...(body.model ? { model: body.model } : {}),
    },
    { timeoutMs: body.timeoutMs ?? DEFAULT_ASK_TIMEOUT_MS, ...(onSession ? { onSession } : {}) },
  );
  return {
    result: r.result,
    sessionId: r.sessionId,
    usage: r.usage ?? null,
    costUsd: r.costUsd ?? null,
    durationMs: r.durationMs ?? 0,
    isError: r.isError,
  };
}
