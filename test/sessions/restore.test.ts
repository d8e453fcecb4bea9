import { describe, expect, test } from "vitest";
import type { NewSessionEvent } from "../../src/protocol/index.js";
import { EventLog } from "../../src/sessions/event-log.js";
import { restoredStateOf } from "../../src/sessions/restore.js";

const SID = "11111111-1111-4111-8111-111111111111";
function records(events: NewSessionEvent[]) {
  const log = new EventLog({ sessionId: SID, now: () => 1000 });
  for (const e of events) log.append(e);
  return log.after(0).records;
}
const update = (state: "created" | "active" | "idle" | "closed"): NewSessionEvent => ({ type: "sessionUpdate", data: { state, reason: "x", queueLength: 0 } });
const perm = (permissionId: string): NewSessionEvent => ({
  type: "permissionRequest",
  data: { permissionId, kind: "tool", toolName: "Write", input: {}, suggestions: [], expiresAt: 0 },
});
const complete: NewSessionEvent = { type: "streamComplete", data: { result: "ok", isError: false, subtype: "success", promptIds: ["p"] } };
const init: NewSessionEvent = { type: "claudeEvent", data: { claudeType: "system", subtype: "init", raw: {} } };
const user: NewSessionEvent = { type: "userMessage", data: { promptId: "p", text: "hi", images: 0 } };

describe("restoredStateOf", () => {
  test.each<[string, NewSessionEvent[], Partial<ReturnType<typeof restoredStateOf>>]>([
    ["empty", [], { messageCount: 0, transcript: false, lastResult: null, openPermissions: [], lastState: undefined }],
    ["created, no prompt", [update("created")], { transcript: false, lastState: "created" }],
    ["one finished turn", [update("created"), user, update("active"), init, complete, update("idle")], { messageCount: 1, transcript: true, lastState: "idle" }],
    ["cut off mid-turn after init", [user, update("active"), init], { transcript: true, lastState: "active", lastResult: null }],
    ["cut off before Claude took the prompt", [user, update("active")], { transcript: false, lastState: "active" }],
    ["a permission left open", [user, perm("a"), perm("b"), { type: "permissionResolved", data: { permissionId: "a", decision: "allow", by: "client" } }], { openPermissions: ["b"] }],
  ])("%s", (_name, events, expected) => {
    expect(restoredStateOf(records(events), { createdAt: 5, closed: false })).toMatchObject(expected);
  });

  test("times come from meta and the last event", () => {
    expect(restoredStateOf(records([user]), { createdAt: 5, closed: true })).toMatchObject({ createdAt: 5, lastActivity: 1000, closed: true });
    expect(restoredStateOf([], { createdAt: 5, closed: false }).lastActivity).toBe(5);
  });
});
