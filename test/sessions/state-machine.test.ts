import { describe, expect, test } from "vitest";
import { SESSION_STATES, type SessionState } from "../../src/protocol/common.js";
import { canTransition, IllegalTransitionError, SESSION_TRANSITION_EVENTS, transition, type SessionTransitionEvent } from "../../src/sessions/state-machine.js";

const LEGAL: [SessionState, SessionTransitionEvent, SessionState][] = [
  ["created", "turn-start", "active"],
  ["created", "ready", "idle"],
  ["created", "close", "closed"],
  ["active", "turn-end", "idle"],
  ["active", "close", "closed"],
  ["idle", "turn-start", "active"],
  ["idle", "close", "closed"],
];

const legalKey = new Set(LEGAL.map(([from, event]) => `${from}:${event}`));
const ILLEGAL: [SessionState, SessionTransitionEvent][] = SESSION_STATES.flatMap((from) =>
  SESSION_TRANSITION_EVENTS.filter((event) => !legalKey.has(`${from}:${event}`)).map((event): [SessionState, SessionTransitionEvent] => [from, event]),
);

describe("session state machine", () => {
  test.each(LEGAL)("%s --%s--> %s", (from, event, to) => {
    expect(transition(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  test.each(ILLEGAL)("%s --%s--> throws", (from, event) => {
    expect(() => transition(from, event)).toThrow(IllegalTransitionError);
    expect(canTransition(from, event)).toBe(false);
  });

  test("every state and event is covered by the two tables", () => {
    expect(LEGAL.length + ILLEGAL.length).toBe(SESSION_STATES.length * SESSION_TRANSITION_EVENTS.length);
    expect(ILLEGAL).toContainEqual(["closed", "close"]);
  });
});
