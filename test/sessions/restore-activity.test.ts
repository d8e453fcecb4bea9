// A restored session keeps its own last activity: what the daemon's stop and restart wrote does not count (issue 17).
import { expect, test } from "vitest";
import type { NewSessionEvent } from "../../src/protocol/index.js";
import { EventLog } from "../../src/sessions/event-log.js";
import { restoredStateOf } from "../../src/sessions/restore.js";

const SID = "11111111-1111-4111-8111-111111111111";

test("the daemon's shutdown, restart and expired requests do not move lastActivity", () => {
  let now = 1000;
  const log = new EventLog({ sessionId: SID, now: () => now });
  const at = (ts: number, e: NewSessionEvent) => {
    now = ts;
    log.append(e);
  };
  at(1000, { type: "userMessage", data: { promptId: "p", text: "hi", images: 0 } });
  at(2000, { type: "permissionRequest", data: { permissionId: "a", kind: "tool", toolName: "Write", input: {}, suggestions: [], expiresAt: 0 } });
  // The daemon stops an hour later, restarts a day later, and the open request expires.
  at(3_600_000, { type: "sessionUpdate", data: { state: "idle", previousState: "active", reason: "daemon-shutdown", queueLength: 0 } });
  at(90_000_000, { type: "permissionResolved", data: { permissionId: "a", decision: "deny", by: "shutdown" } });
  at(90_000_001, { type: "sessionUpdate", data: { state: "idle", previousState: "active", reason: "daemon-restarted", queueLength: 0 } });
  const state = restoredStateOf(log.after(0).records, { createdAt: 500, closed: false });
  expect(state.lastActivity).toBe(2000);
});
