// Whether a session cannot start: a fold over its events (live, and again from the log after a restart) of the Claude exits that came before Claude took a prompt. Pure.
import { z } from "zod";
import type { CannotStart } from "../protocol/cannot-start.js";
import type { SessionEvent } from "../protocol/events.js";

/** Characters of stderr kept (and compared) from the end of what Claude printed. */
export const START_FAILURE_TAIL_CHARS = 2000;
/** Longest `reason` (the last non-empty stderr line). */
const REASON_CHARS = 300;

/** The last start failure with no system/init since; `cannotStart` once two in a row failed the same way. */
export const StartFailureStateSchema = z.object({
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stderrTail: z.string().max(START_FAILURE_TAIL_CHARS),
  reason: z.string().max(REASON_CHARS + 100),
  attempts: z.number().int().positive(),
  since: z.number(),
  lastAttemptAt: z.number(),
  cannotStart: z.boolean(),
});
export type StartFailureState = z.infer<typeof StartFailureStateSchema>;

/** The detail of a CLAUDE_EXITED sessionError that says the process exited before it sent system/init. */
export const BEFORE_INIT_DETAIL = "beforeInit";

type Failure = Pick<StartFailureState, "exitCode" | "signal" | "stderrTail" | "reason">;

/** The failure a CLAUDE_EXITED sessionError of a process that never sent system/init describes; undefined for any other event. */
function startFailureOf(event: SessionEvent | { type: string; data: unknown }): Failure | undefined {
  if (event.type !== "sessionError") return undefined;
  const { code, message, details } = event.data as { code: string; message: string; details: Record<string, unknown> };
  if (code !== "CLAUDE_EXITED" || details[BEFORE_INIT_DETAIL] !== true) return undefined;
  const raw = typeof details.stderrTail === "string" ? details.stderrTail.trim() : "";
  const stderrTail = raw.length > START_FAILURE_TAIL_CHARS ? raw.slice(-START_FAILURE_TAIL_CHARS) : raw;
  const lastLine = stderrTail.split("\n").map((l) => l.trim()).filter(Boolean).at(-1);
  return {
    exitCode: typeof details.exitCode === "number" ? details.exitCode : null,
    signal: typeof details.signal === "string" ? details.signal : null,
    stderrTail,
    reason: (lastLine ?? message).slice(0, REASON_CHARS),
  };
}

/** "The same way": same exit code, same signal, and the same trimmed stderr tail (its last 2 000 characters). */
function sameWay(a: Failure, b: Failure): boolean {
  return a.exitCode === b.exitCode && a.signal === b.signal && a.stderrTail === b.stderrTail;
}

function isInit(event: { type: string; data: unknown }): boolean {
  if (event.type !== "claudeEvent") return false;
  const d = event.data as { claudeType?: unknown; subtype?: unknown };
  return d.claudeType === "system" && d.subtype === "init";
}

/**
 * The next state after one event:
 * - `system/init` (a process took a prompt: Claude started) clears it;
 * - a start failure (CLAUDE_EXITED with `beforeInit`) that repeats the previous one the same way, or comes while
 *   the session already cannot start, makes (or keeps) it `cannotStart`, with this failure's reason;
 * - any other start failure is the first of a new run (attempts 1);
 * - every other event leaves it as it is.
 */
export function nextStartFailure(state: StartFailureState | null, event: { type: string; ts: number; data: unknown }): StartFailureState | null {
  if (isInit(event)) return null;
  const failure = startFailureOf(event);
  if (!failure) return state;
  if (state && (state.cannotStart || sameWay(state, failure))) {
    return { ...failure, attempts: state.attempts + 1, since: state.cannotStart ? state.since : event.ts, lastAttemptAt: event.ts, cannotStart: true };
  }
  return { ...failure, attempts: 1, since: event.ts, lastAttemptAt: event.ts, cannotStart: false };
}

/** What SessionInfo and sessionUpdate say: present only while the session cannot start. */
export function cannotStartOf(state: StartFailureState | null): CannotStart | undefined {
  if (!state?.cannotStart) return undefined;
  const { reason, exitCode, signal, stderrTail, attempts, since, lastAttemptAt } = state;
  return { reason, exitCode, signal, stderrTail, attempts, since, lastAttemptAt };
}
