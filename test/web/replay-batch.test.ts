// The page's reducer on eventBatch frames: the same state as one frame per event, gaps and duplicates by the same rules.
import { describe, expect, test } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import type { SessionInfo } from "../../src/protocol/sessions.js";
import { followUp, initialState, reduce, type AppState, type Frame } from "../../src/web/reducer.js";
import { emptyView } from "../../src/web/transcript.js";

const SID = "00000000-0000-4000-8000-000000000001";
const info: SessionInfo = {
  sessionId: SID, state: "idle", workingDirectory: "/w/app", permissionMode: "default", createdAt: 1, lastActivity: 10,
  messageCount: 0, queueLength: 0, lastSeq: 0, pendingPermissions: [], grants: [], process: null, lastResult: null,
};
const open: AppState = { ...initialState, sessions: { [SID]: info }, listLoaded: true, views: { [SID]: emptyView(SID, "idle") } };

/** `turns` agentic turns as the daemon logs them: prompt, text deltas and message, a tool use with its result, a permission, the result. */
function transcript(turns: number): SessionEvent[] {
  const out: Pick<SessionEvent, "type" | "data">[] = [];
  for (let t = 1; t <= turns; t++) {
    const m = `m${t}`;
    out.push({ type: "userMessage", data: { promptId: `u${t}`, text: `prompt ${t}`, images: 0 } });
    out.push({ type: "sessionUpdate", data: { state: "active", reason: "turn-started", queueLength: 0 } });
    out.push({ type: "streamData", data: { kind: "delta", messageId: m, index: 0, text: `Answer ${t}, ` } });
    out.push({ type: "streamData", data: { kind: "delta", messageId: m, index: 0, text: "**bold**" } });
    out.push({ type: "streamData", data: { kind: "message", messageId: m, text: `Answer ${t}, **bold**`, content: [] } });
    out.push({ type: "streamToolUse", data: { phase: "use", toolUseId: `t${t}`, name: "Write", input: { file_path: `/w/f${t}` } } });
    out.push({ type: "permissionRequest", data: { permissionId: `p${t}`, kind: "tool", toolName: "Write", toolUseId: `t${t}`, input: {}, suggestions: [], expiresAt: 9e12 } });
    out.push({ type: "permissionResolved", data: { permissionId: `p${t}`, decision: "allow", by: "client" } });
    out.push({ type: "streamToolUse", data: { phase: "result", toolUseId: `t${t}`, content: "ok", isError: false } });
    out.push({ type: "streamComplete", data: { result: "done", isError: false, subtype: "success", promptIds: [`u${t}`], costUsd: t / 100 } });
    out.push({ type: "sessionUpdate", data: { state: "idle", reason: "turn-complete", queueLength: 0 } });
  }
  return out.map((e, i) => ({ seq: i + 1, sessionId: SID, ts: 1000 + i, ...e }) as SessionEvent);
}
/** A batch covering `events` (or the range given), as the server sends it. */
const batch = (events: SessionEvent[], fromSeq = events[0]!.seq, toSeq = events.at(-1)!.seq): Frame => ({
  type: "eventBatch", requestId: "r1", sessionId: SID, data: { fromSeq, toSeq, events },
});
const one = (state: AppState, events: SessionEvent[]) => events.reduce<AppState>(reduce, state);

describe("eventBatch", () => {
  test("a replay in batches (overlapping ones too) gives the same view and list row as one frame per event", () => {
    const events = transcript(40);
    const expected = one(open, events);
    // A batch that overlaps what was applied (a resubscribe racing a live event) applies only what is new.
    const got = [batch(events.slice(0, 200)), batch(events.slice(150, 260)), batch(events.slice(260))].reduce(reduce, open);
    expect(got.views[SID]).toEqual(expected.views[SID]);
    expect(got.sessions[SID]).toEqual(expected.sessions[SID]);
    expect(got.views[SID]!.applied).toBe(events.length);
    expect(got.views[SID]!.items.filter((i) => i.kind === "assistant").map((i) => i.kind === "assistant" && i.text)).toEqual(
      Array.from({ length: 40 }, (_, t) => `Answer ${t + 1}, **bold**`),
    );
  });

  test("a batch that starts after the next seq is a gap: nothing applied, one resubscribe from the last seq applied", () => {
    const events = transcript(3);
    const before = one(open, events.slice(0, 10));
    const frame = batch(events.slice(12));
    const after = reduce(before, frame);
    expect(after.views[SID]!.cursor).toEqual({ lastSeq: 10, resyncing: true });
    expect(after.views[SID]!.items).toBe(before.views[SID]!.items);
    expect(followUp(before, after, frame)).toEqual({ kind: "resubscribe", sessionId: SID, lastSeq: 10 });
    // While the resubscribe is in flight a second such batch asks nothing more; its replay fills the gap.
    expect(reduce(after, frame)).toBe(after);
    const filled = reduce(after, batch(events.slice(10)));
    expect(filled.views[SID]!.items).toEqual(one(open, events).views[SID]!.items);
  });

  test("seqs a batch covers but leaves out (stream events) are no gap: they count as applied and live events follow", () => {
    const events = transcript(4);
    const left = new Set([3, 7, 20, events.length]);
    const state = reduce(open, batch(events.filter((e) => !left.has(e.seq)), 1, events.length));
    expect(state.views[SID]!.cursor).toEqual({ lastSeq: events.length, resyncing: false });
    expect(state.views[SID]!.applied).toBe(events.length);
    expect(state.sessions[SID]!.lastSeq).toBe(events.length);
    const live = reduce(state, { seq: events.length + 1, sessionId: SID, ts: 1, type: "warning", data: { message: "next" } } as SessionEvent);
    expect(live.views[SID]!.items.at(-1)).toMatchObject({ kind: "notice", text: "next" });
  });

  test("the state before a batch is not changed (the page keeps old views for its memoised items)", () => {
    const events = transcript(5);
    const before = one(open, events.slice(0, 30));
    const items = before.views[SID]!.items;
    const snapshot = JSON.parse(JSON.stringify(items));
    const after = reduce(before, batch(events.slice(30)));
    expect(after.views[SID]!.items).not.toBe(items);
    expect(items).toEqual(snapshot);
    // Items that did not change keep their identity.
    expect(after.views[SID]!.items[0]).toBe(items[0]);
  });

  test("a batch that brings only duplicates changes nothing; a batch for a session without a view is ignored", () => {
    const events = transcript(2);
    const state = one(open, events);
    expect(reduce(state, batch(events.slice(5)))).toBe(state);
    expect(reduce(initialState, batch(events))).toBe(initialState);
  });

  test("10 000 events in batches: every turn is shown, in order", () => {
    const events = transcript(910);
    let state = open;
    for (let i = 0; i < events.length; i += 700) state = reduce(state, batch(events.slice(i, i + 700)));
    const items = state.views[SID]!.items;
    expect(state.views[SID]!.cursor.lastSeq).toBe(events.length);
    expect(items.filter((i) => i.kind === "user").map((i) => i.seq)).toEqual(events.filter((e) => e.type === "userMessage").map((e) => e.seq));
    expect(items.filter((i) => i.kind === "result")).toHaveLength(910);
  });
});
