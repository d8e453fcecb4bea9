// The streamComplete of a turn that ended without Claude's result (crash, timeout, restart, close …): every turn ends with exactly one. Pure.
import type { StreamComplete } from "./session-events.js";

/** Why a turn was cut, as its streamComplete's `subtype` (the turn-end reason), with the `result` text a user reads. */
export const CUT_TURN_SUBTYPES = {
  "claude-exited": "Claude Code exited during the turn.",
  "claude-timeout": "Claude Code was silent for too long; the turn was stopped.",
  "resource-limit": "Claude Code went over its resource limit; the turn was stopped.",
  "spawn-failed": "Claude Code could not be started for this turn.",
  "write-failed": "The prompt or an answer could not be written to Claude Code; the turn was ended.",
  interrupted: "The turn was interrupted before it reached Claude Code.",
  "daemon-shutdown": "The daemon shut down during the turn.",
  "daemon-restarted": "The daemon stopped during the turn (it was restarted).",
  closed: "The session was closed during the turn.",
} as const satisfies Record<string, string>;

export type CutTurnSubtype = keyof typeof CUT_TURN_SUBTYPES;

export function isCutTurnSubtype(subtype: string): subtype is CutTurnSubtype {
  return Object.hasOwn(CUT_TURN_SUBTYPES, subtype);
}

/** `reason` is a turn-end or close reason; "shutdown" reads as "daemon-shutdown", any other that is not a subtype as "closed". */
export function cutTurnComplete(reason: string, promptIds: string[]): StreamComplete {
  const subtype: CutTurnSubtype = isCutTurnSubtype(reason) ? reason : reason === "shutdown" ? "daemon-shutdown" : "closed";
  return { result: CUT_TURN_SUBTYPES[subtype], isError: true, subtype, promptIds };
}
