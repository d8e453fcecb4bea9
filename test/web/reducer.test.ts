// The page's state as a fold over server frames: the list, views, replay, notices, errors and the follow-ups they ask for.
import { describe, expect, test } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import type { SessionInfo } from "../../src/protocol/sessions.js";
import { followUp, initialState, patchInfo, reduce, type AppState, type Frame } from "../../src/web/reducer.js";
import { emptyView } from "../../src/web/transcript.js";

const SID = "00000000-0000-4000-8000-000000000001";
const info = (patch: Partial<SessionInfo> = {}): SessionInfo => ({
  sessionId: SID,
  state: "idle",
  workingDirectory: "/w/app",
  permissionMode: "default",
  createdAt: 1,
  lastActivity: 10,
  messageCount: 0,
  queueLength: 0,
  lastSeq: 0,
  pendingPermissions: [],
  grants: [],
  process: null,
  lastResult: null,
  ...patch,
});
const perm = { permissionId: "p1", kind: "tool" as const, toolName: "Write", input: {}, suggestions: [], expiresAt: 9e12 };
const result = { result: "done", isError: false, subtype: "success", promptIds: ["u1"] };
const evAt = (seq: number, e: Pick<SessionEvent, "type" | "data">): Frame => ({ seq, sessionId: SID, ts: 1000 + seq, ...e }) as SessionEvent;
const listed: AppState = { ...initialState, sessions: { [SID]: info() }, listLoaded: true };
const open: AppState = { ...listed, views: { [SID]: emptyView(SID, "idle") } };

const fold = (state: AppState, frames: Frame[]) => frames.reduce(reduce, state);

describe("reduce", () => {
  test.each<[string, AppState, Frame[], (s: AppState) => void]>([
    ["sessions replaces the list", initialState, [{ type: "sessions", data: { sessions: [info()] } }], (s) => {
      expect(Object.keys(s.sessions)).toEqual([SID]);
      expect(s.listLoaded).toBe(true);
    }],
    ["streamStarted adds the session and an empty view", initialState, [{ type: "streamStarted", requestId: "r1", data: info({ state: "created" }) }], (s) => {
      expect(s.sessions[SID]?.state).toBe("created");
      expect(s.views[SID]).toMatchObject({ items: [], state: "created" });
    }],
    ["events of an open session fold into its view and its list row", open, [
      evAt(1, { type: "userMessage", data: { promptId: "u1", text: "hi", images: 0 } }),
      evAt(2, { type: "sessionUpdate", data: { state: "active", reason: "turn-started", queueLength: 0, model: "opus" } }),
      evAt(3, { type: "permissionRequest", data: perm }),
    ], (s) => {
      expect(s.views[SID]?.items.map((i) => i.kind)).toEqual(["user", "permission"]);
      expect(s.views[SID]?.cursor.lastSeq).toBe(3);
      expect(s.sessions[SID]).toMatchObject({ state: "active", model: "opus", lastSeq: 3, lastActivity: 1003, pendingPermissions: [perm] });
    }],
    ["a resolved permission leaves the row's badge; a result becomes its lastResult", open, [
      evAt(1, { type: "permissionRequest", data: perm }),
      evAt(2, { type: "permissionResolved", data: { permissionId: "p1", decision: "allow", by: "client" } }),
      evAt(3, { type: "streamComplete", data: result }),
    ], (s) => {
      expect(s.sessions[SID]?.pendingPermissions).toEqual([]);
      expect(s.sessions[SID]?.lastResult).toEqual(result);
    }],
    ["a duplicate seq is applied once", open, [
      evAt(1, { type: "userMessage", data: { promptId: "u1", text: "hi", images: 0 } }),
      evAt(1, { type: "userMessage", data: { promptId: "u1", text: "hi", images: 0 } }),
    ], (s) => expect(s.views[SID]?.applied).toBe(1)],
    ["a gap applies nothing and marks the view resyncing", open, [evAt(5, { type: "warning", data: { message: "x" } })], (s) => {
      expect(s.views[SID]?.items).toEqual([]);
      expect(s.views[SID]?.cursor).toEqual({ lastSeq: 0, resyncing: true });
    }],
    ["an event of a session with no view changes nothing", listed, [evAt(1, { type: "warning", data: { message: "x" } })], (s) => expect(s).toBe(listed)],
    ["replayComplete ends the resync and adds open permissions not shown", {
      ...open, views: { [SID]: { ...emptyView(SID), cursor: { lastSeq: 0, resyncing: true } } },
    }, [{ type: "replayComplete", sessionId: SID, data: { fromSeq: 1, toSeq: 0, gap: false, pendingPermissions: [perm] } }], (s) => {
      expect(s.views[SID]?.cursor.resyncing).toBe(false);
      expect(s.views[SID]?.items.map((i) => i.kind)).toEqual(["permission"]);
    }],
    ["a snapshot rebuilds the view; its replay without a result shows the snapshot's last result", open, [
      { type: "sessionSnapshot", sessionId: SID, data: info({ lastSeq: 90, lastResult: result }) },
      evAt(91, { type: "warning", data: { message: "after" } }),
      { type: "replayComplete", sessionId: SID, data: { fromSeq: 91, toSeq: 91, gap: true, pendingPermissions: [] } },
    ], (s) => {
      expect(s.views[SID]?.items.map((i) => i.kind)).toEqual(["notice", "notice", "result"]);
      expect(s.views[SID]?.cursor).toEqual({ lastSeq: 91, resyncing: false });
      expect(s.snapshotResults).toEqual({});
    }],
    ["sessionNotice updates the row of a session not followed", listed, [
      { type: "sessionNotice", sessionId: SID, data: { state: "active", reason: "turn-started", queueLength: 2, permissionMode: "plan" } },
    ], (s) => expect(s.sessions[SID]).toMatchObject({ state: "active", queueLength: 2, permissionMode: "plan", lastActivity: 10 })],
    ["sessionNotice of an unknown session changes nothing", initialState, [
      { type: "sessionNotice", sessionId: SID, data: { state: "active", reason: "turn-started", queueLength: 0 } },
    ], (s) => expect(s).toBe(initialState)],
    ["an error without requestId becomes the error notice", initialState, [
      { type: "error", data: { code: "INTERNAL", message: "Boom", details: {} } },
    ], (s) => expect(s.notice).toEqual({ text: "Boom", tone: "error" })],
    ["an error reply is left to whoever sent the request", initialState, [
      { type: "error", requestId: "r1", data: { code: "BAD_REQUEST", message: "No", details: {} } },
    ], (s) => expect(s.notice).toBeNull()],
    ["welcome, pong and ack change nothing", listed, [
      { type: "welcome", data: { serverVersion: "1", protocolVersion: 1, connectionId: "c", heartbeatMs: 1000 } },
      { type: "pong", requestId: "r2", data: { ts: 1 } },
      { type: "ack", requestId: "r3", data: { command: "interrupt" } },
    ], (s) => expect(s).toBe(listed)],
  ])("%s", (_name, start, frames, check) => {
    const before = structuredClone(start);
    check(fold(start, frames));
    expect(start).toEqual(before); // pure: the old state is never changed
  });
});

test("streamStarted for a History transcript's view starts the session's own view (the transcript's seqs are not its seqs)", () => {
  const transcriptView = { ...emptyView(SID, undefined, true), cursor: { lastSeq: 61, resyncing: false } };
  const next = reduce({ ...listed, views: { [SID]: transcriptView } }, { type: "streamStarted", sessionId: SID, data: info({ state: "idle" }) });
  expect(next.views[SID]).toMatchObject({ cursor: { lastSeq: 0 }, items: [] });
  expect(next.views[SID]!.transcript).toBeUndefined();
});

describe("followUp", () => {
  test.each<[string, AppState, Frame, ReturnType<typeof followUp>]>([
    ["a gap asks to resubscribe from the last seq applied", open, evAt(4, { type: "warning", data: { message: "x" } }), { kind: "resubscribe", sessionId: SID, lastSeq: 0 }],
    ["the next event in order asks nothing", open, evAt(1, { type: "warning", data: { message: "x" } }), null],
    ["a second gap while resyncing asks nothing (the replay fills it)", {
      ...open, views: { [SID]: { ...emptyView(SID), cursor: { lastSeq: 0, resyncing: true } } },
    }, evAt(7, { type: "warning", data: { message: "x" } }), null],
    ["a sessionNotice asks for the list (it has no badges)", listed, { type: "sessionNotice", sessionId: SID, data: { state: "idle", reason: "turn-complete", queueLength: 0 } }, { kind: "refreshList" }],
    ["a sessions frame asks nothing", listed, { type: "sessions", data: { sessions: [] } }, null],
    ["closed with reason terminal while open asks to subscribe again from there (the daemon follows the terminal)", open,
      evAt(1, { type: "sessionUpdate", data: { state: "closed", previousState: "idle", reason: "terminal", queueLength: 0, transcriptSeq: 4 } }), { kind: "resubscribe", sessionId: SID, lastSeq: 1 }],
    ["a plain close asks nothing", open, evAt(1, { type: "sessionUpdate", data: { state: "closed", previousState: "idle", reason: "closed", queueLength: 0 } }), null],
  ])("%s", (_name, start, frame, expected) => {
    expect(followUp(start, reduce(start, frame), frame)).toEqual(expected);
  });
});

describe("patchInfo: the session's grants", () => {
  const grant = { id: "g1", kind: "rule" as const, toolName: "Bash", ruleContent: "npm test", rule: "Bash(npm test)", grantedAt: 1 };
  const update = (data: Record<string, unknown>) => ({ seq: 5, ts: 20, sessionId: SID, type: "sessionUpdate", data: { state: "idle", reason: "x", queueLength: 0, ...data } }) as SessionEvent;
  test.each<[string, Record<string, unknown>, unknown[]]>([
    ["an update with grants sets them", { reason: "grants-changed", grants: [grant] }, [grant]],
    ["the update after the last revoke empties them", { reason: "grant-revoked", grants: [] }, []],
    ["an update without grants keeps them", {}, [grant]],
  ])("%s", (_name, data, grants) => {
    expect(patchInfo(info({ grants: [grant] }), update(data)).grants).toEqual(grants);
  });
});

describe("patchInfo: the title and last message from the open session's events", () => {
  const ev = (type: "userMessage" | "streamData", data: Record<string, unknown>) => ({ seq: 5, ts: 20, sessionId: SID, type, data }) as SessionEvent;
  test.each<[string, Partial<SessionInfo>, SessionEvent, { title?: string; lastMessage?: string }]>([
    ["the first prompt names a session that has no title yet", {}, ev("userMessage", { promptId: "u1", text: "\n  Fix the login bug\nin app.ts", images: 0 }), { title: "Fix the login bug", lastMessage: "Fix the login bug" }],
    ["a later prompt keeps the title", { title: "First" }, ev("userMessage", { promptId: "u2", text: "Second", images: 0 }), { title: "First", lastMessage: "Second" }],
    ["an answer is the last message", { title: "First" }, ev("streamData", { kind: "message", text: "Done.", content: [] }), { title: "First", lastMessage: "Done." }],
    ["a delta changes nothing", { title: "First", lastMessage: "Second" }, ev("streamData", { kind: "delta", text: "Do" }), { title: "First", lastMessage: "Second" }],
  ])("%s", (_name, patch, event, expected) => {
    const next = patchInfo(info(patch), event);
    expect({ title: next.title, lastMessage: next.lastMessage }).toEqual({ title: undefined, lastMessage: undefined, ...expected });
  });
});
