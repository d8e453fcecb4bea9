// The session state machine as a table: the only place that says which state follows which; it knows no timers or processes.
import type { SessionState } from "../protocol/common.js";

/**
 * What happens to a session:
 * - `turn-start`: a prompt is handed to Claude;
 * - `turn-end`: the turn is over (result, interrupt, timeout, crash);
 * - `ready`: a new session can take a prompt without one running (its process answered `initialize`,
 *   or it has none and the next prompt spawns one);
 * - `close`: the session ends (client, idle timeout, shutdown).
 */
export const SESSION_TRANSITION_EVENTS = ["turn-start", "turn-end", "ready", "close"] as const;
export type SessionTransitionEvent = (typeof SESSION_TRANSITION_EVENTS)[number];

/** from -> event -> to. A missing cell is an illegal transition. `closed` is terminal. */
export const TRANSITIONS: Readonly<Record<SessionState, Readonly<Partial<Record<SessionTransitionEvent, SessionState>>>>> = {
  created: { "turn-start": "active", ready: "idle", close: "closed" },
  active: { "turn-end": "idle", close: "closed" },
  idle: { "turn-start": "active", close: "closed" },
  closed: {},
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: SessionState,
    readonly event: SessionTransitionEvent,
  ) {
    super(`Illegal session transition: '${event}' in state '${from}'`);
    this.name = "IllegalTransitionError";
  }
}

/** The next state, or throws IllegalTransitionError: an illegal transition is a bug, never ignored. */
export function transition(from: SessionState, event: SessionTransitionEvent): SessionState {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw new IllegalTransitionError(from, event);
  return to;
}

/** True when `event` is legal in `from` (for callers that branch instead of asserting). */
export function canTransition(from: SessionState, event: SessionTransitionEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}
