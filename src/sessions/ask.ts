// One-shot ask: a short-lived session that runs one prompt, relays its permissions like any other, returns the result and closes.
import { CompanionError, ERRORS, type ErrorCode, type ErrorParams } from "../protocol/errors.js";
import type { PermissionMode, Usage } from "../protocol/common.js";
import type { SessionEventData } from "../protocol/events.js";
import { isCutTurnSubtype } from "./cut-turn.js";
import type { Session } from "./session.js";
import type { PromptImage } from "./types.js";

export interface AskInput {
  prompt: string;
  images?: PromptImage[];
  workingDirectory?: string;
  permissionMode?: PermissionMode;
  model?: string;
}

export interface AskOptions {
  /** The whole ask (spawn, turn, permission waits) must finish within this; then ASK_TIMEOUT. */
  timeoutMs: number;
  /** Told the session before the prompt is sent, e.g. to route its permission prompts. */
  onSession?: (session: Session) => void;
}

export interface AskResult {
  result: string;
  sessionId: string;
  usage?: Usage;
  costUsd?: number;
  durationMs?: number;
  isError: boolean;
}

/** Runs `input.prompt` in a session made by `create` and closes it afterwards, whatever happens. */
export async function runAsk(
  create: (input: Omit<AskInput, "prompt" | "images">) => Promise<Session>,
  input: AskInput,
  options: AskOptions,
): Promise<AskResult> {
  const session = await create({
    ...(input.workingDirectory !== undefined ? { workingDirectory: input.workingDirectory } : {}),
    ...(input.permissionMode !== undefined ? { permissionMode: input.permissionMode } : {}),
    ...(input.model !== undefined ? { model: input.model } : {}),
  });
  return new Promise<AskResult>((resolve, reject) => {
    let promptId: string | undefined;
    let sending = false;
    let lastError: SessionEventData<"sessionError"> | undefined;
    let done = false;
    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      settle();
      // Closing from inside the session's own event dispatch would re-enter it: do it after.
      queueMicrotask(() => void session.close("ask-complete"));
    };
    const unsubscribe = session.log.subscribe(({ event }) => {
      if (event.type === "sessionError") lastError = event.data;
      else if (event.type === "streamComplete" && promptId !== undefined && event.data.promptIds.includes(promptId)) {
        const d = event.data;
        // A turn cut without Claude's result (crash, timeout, spawn failure) rejects with the error that cut it.
        if (isCutTurnSubtype(d.subtype)) {
          const error = lastError ? toCompanionError(lastError) : new CompanionError("SESSION_CLOSED", { sessionId: session.id });
          return finish(() => reject(error));
        }
        finish(() =>
          resolve({
            result: d.result,
            sessionId: session.id,
            isError: d.isError,
            ...(d.usage !== undefined ? { usage: d.usage } : {}),
            ...(d.costUsd !== undefined ? { costUsd: d.costUsd } : {}),
            ...(d.durationMs !== undefined ? { durationMs: d.durationMs } : {}),
          }),
        );
      } else if (event.type === "sessionUpdate" && sending && (event.data.previousState === "active" || event.data.state === "closed")) {
        // The turn ended (or the session closed) without a result: crash, timeout, spawn failure.
        const error = lastError ? toCompanionError(lastError) : new CompanionError("SESSION_CLOSED", { sessionId: session.id });
        finish(() => reject(error));
      }
    });
    const timer = setTimeout(() => finish(() => reject(new CompanionError("ASK_TIMEOUT", { timeoutMs: options.timeoutMs }))), options.timeoutMs);
    try {
      options.onSession?.(session);
      sending = true;
      promptId = session.send({ text: input.prompt, ...(input.images ? { images: input.images } : {}) }).promptId;
    } catch (error) {
      finish(() => reject(error));
    }
  });
}

function toCompanionError(e: SessionEventData<"sessionError">): CompanionError {
  const code: ErrorCode = e.code in ERRORS ? (e.code as ErrorCode) : "INTERNAL";
  const params: ErrorParams = {};
  for (const [k, v] of Object.entries(e.details)) {
    if (v === null || ["string", "number", "boolean"].includes(typeof v)) params[k] = v as ErrorParams[string];
  }
  return new CompanionError(code, params);
}
