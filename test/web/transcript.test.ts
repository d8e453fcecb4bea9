// The session view as a fold over events: streaming bubbles, tool and permission cards, queue, results.
import { describe, expect, test } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import { applyEvent, buildView, emptyView, queuedPrompts, viewFromSnapshot, withPendingPermissions } from "../../src/web/transcript.js";

const SID = "00000000-0000-4000-8000-000000000001";
let seq = 0;
type Ev = { type: SessionEvent["type"]; data: unknown };
const ev = (type: Ev["type"], data: unknown): SessionEvent => ({ seq: ++seq, sessionId: SID, ts: 1000 + seq, type, data }) as SessionEvent;
const events = (...list: Ev[]): SessionEvent[] => {
  seq = 0;
  return list.map((e) => ev(e.type, e.data));
};
const perm = { permissionId: "p1", kind: "tool", toolName: "Write", input: { file_path: "/w/a.txt", content: "x" }, suggestions: [], expiresAt: 9e12 };

describe("a session handed to a terminal", () => {
  test("the closing notice says so, the terminal's prompts are never pending or queued, and a resume ends it", () => {
    const v = buildView(SID, events(
      { type: "userMessage", data: { promptId: "u1", text: "on the phone", images: 0 } },
      { type: "streamComplete", data: { result: "ok", isError: false, subtype: "success", promptIds: ["u1"] } },
      { type: "sessionUpdate", data: { state: "closed", previousState: "idle", reason: "terminal", queueLength: 0, transcriptSeq: 2 } },
      { type: "userMessage", data: { promptId: "t1", text: "in the terminal", images: 0 } },
      { type: "streamData", data: { kind: "message", messageId: "m2", text: "terminal answer", content: [] } },
    ));
    expect(v.terminal).toBe(true);
    expect(v.items.map((i) => i.kind)).toEqual(["user", "result", "notice", "user", "assistant"]);
    expect(v.items[2]).toMatchObject({ kind: "notice", text: "Continued in the terminal", handoff: true });
    expect(v.pendingPrompts).toEqual([]);
    expect(queuedPrompts(v).size).toBe(0);
    const resumed = applyEvent(v, ev("sessionUpdate", { state: "starting", previousState: "closed", reason: "resumed", queueLength: 0 }));
    expect(resumed.terminal).toBeUndefined();
  });

  test("a History transcript's view (terminal from the start) has no pending prompts either", () => {
    const v = applyEvent(emptyView(SID, undefined, true), ev("userMessage", { promptId: "t1", text: "typed in a terminal", images: 0 }));
    expect(queuedPrompts(v).size).toBe(0);
  });
});

describe("applyEvent", () => {
  test("deltas stream into one bubble that the message finalises", () => {
    const v = buildView(SID, events(
      { type: "userMessage", data: { promptId: "u1", text: "hi", images: 0 } },
      { type: "streamData", data: { kind: "delta", messageId: "m1", text: "Hel" } },
      { type: "streamData", data: { kind: "delta", messageId: "m1", text: "lo" } },
    ));
    expect(v.items.map((i) => i.kind)).toEqual(["user", "assistant"]);
    expect(v.items[1]).toMatchObject({ text: "Hello", done: false });
    const done = applyEvent(v, ev("streamData", { kind: "message", messageId: "m1", text: "Hello.", content: [] }));
    expect(done.items[1]).toMatchObject({ text: "Hello.", done: true });
    expect(done.open).toBe(-1);
    // The old view is untouched (items are immutable for memoised rendering).
    expect(v.items[1]).toMatchObject({ text: "Hello", done: false });
  });

  test("an empty message (tool use only) adds no bubble; a message without deltas adds one", () => {
    const v = buildView(SID, events(
      { type: "streamData", data: { kind: "delta", messageId: "m1", text: "I will use a tool." } },
      { type: "streamData", data: { kind: "message", messageId: "m1", text: "I will use a tool.", content: [] } },
      { type: "streamData", data: { kind: "message", messageId: "m1", text: "", content: [{ type: "tool_use" }] } },
      { type: "streamData", data: { kind: "message", messageId: "m2", text: "No deltas here", content: [] } },
    ));
    expect(v.items.map((i) => (i.kind === "assistant" ? i.text : i.kind))).toEqual(["I will use a tool.", "No deltas here"]);
  });

  test("tool use and its result make one card; permission request and resolution one card", () => {
    const v = buildView(SID, events(
      { type: "streamToolUse", data: { phase: "use", toolUseId: "t1", name: "Write", input: perm.input } },
      { type: "permissionRequest", data: perm },
      { type: "permissionRequest", data: perm },
      { type: "permissionResolved", data: { permissionId: "p1", decision: "allow", by: "client", client: "phone" } },
      { type: "streamToolUse", data: { phase: "result", toolUseId: "t1", isError: false, content: "ok" } },
    ));
    expect(v.items.map((i) => i.kind)).toEqual(["tool", "permission"]);
    expect(v.items[0]).toMatchObject({ result: { content: "ok" } });
    expect(v.items[1]).toMatchObject({ resolved: { decision: "allow", client: "phone" } });
  });

  test("queued prompts: all but the running one, cleared by results and dropped ids", () => {
    let v = buildView(SID, events(
      { type: "userMessage", data: { promptId: "a", text: "1", images: 0 } },
      { type: "sessionUpdate", data: { state: "active", reason: "turn-started", queueLength: 0 } },
      { type: "userMessage", data: { promptId: "b", text: "2", images: 0 } },
      { type: "userMessage", data: { promptId: "c", text: "3", images: 0 } },
    ));
    expect([...queuedPrompts(v)]).toEqual(["b", "c"]);
    v = applyEvent(v, ev("streamComplete", { result: "", isError: false, subtype: "success", promptIds: ["a"] }));
    expect([...queuedPrompts(v)]).toEqual(["c"]);
    v = applyEvent(v, ev("sessionUpdate", { state: "active", reason: "interrupted", queueLength: 0, droppedPromptIds: ["c"] }));
    expect([...queuedPrompts(v)]).toEqual([]);
    expect(v.items.at(-1)).toMatchObject({ kind: "notice", text: "1 queued prompt was dropped." });
    v = applyEvent(v, ev("sessionUpdate", { state: "idle", reason: "turn-complete", queueLength: 0 }));
    expect(v.pendingPrompts).toEqual([]);
  });

  test("streamComplete closes a bubble left open by an interrupt; errors and warnings are lines", () => {
    const v = buildView(SID, events(
      { type: "streamData", data: { kind: "delta", text: "partial" } },
      { type: "streamComplete", data: { result: "", isError: true, subtype: "error_during_execution", promptIds: [], terminalReason: "aborted_streaming" } },
      { type: "sessionError", data: { code: "CLAUDE_EXITED", message: "Claude Code exited", details: {} } },
      { type: "warning", data: { message: "not JSON" } },
      { type: "claudeEvent", data: { claudeType: "system", subtype: "init", raw: {} } },
    ));
    expect(v.items.map((i) => i.kind)).toEqual(["assistant", "result", "error", "notice"]);
    expect(v.items[0]).toMatchObject({ done: true });
    expect(v.applied).toBe(5);
  });

  test("snapshot view and pending permissions from replayComplete", () => {
    const info = { sessionId: SID, state: "active", workingDirectory: "/w", permissionMode: "default", createdAt: 0, lastActivity: 0,
      messageCount: 1, queueLength: 0, lastSeq: 90, pendingPermissions: [], grants: [], process: null, lastResult: null } as const;
    let v = viewFromSnapshot({ ...info, pendingPermissions: [], grants: [] });
    expect(v.cursor).toEqual({ lastSeq: null, resyncing: true });
    v = withPendingPermissions(v, [perm as never]);
    v = withPendingPermissions(v, [perm as never]);
    expect(v.items.map((i) => i.kind)).toEqual(["notice", "permission"]);
    expect(emptyView(SID).items).toEqual([]);
  });
});

describe("issue 17: what the phone shows", () => {
  const write = { toolUseId: "t1", name: "Write", input: { file_path: "/w/a.txt", content: "x" } };
  test("one card per tool use: the request joins its tool card and keeps the answer", () => {
    const v = buildView(SID, events(
      { type: "streamToolUse", data: { phase: "use", ...write } },
      { type: "permissionRequest", data: { ...perm, toolUseId: "t1" } },
      { type: "permissionResolved", data: { permissionId: "p1", decision: "deny", by: "client", client: "phone", message: "not now" } },
      { type: "streamToolUse", data: { phase: "result", toolUseId: "t1", isError: true, content: "not now" } },
    ));
    expect(v.items.map((i) => i.kind)).toEqual(["tool"]);
    expect(v.items[0]).toMatchObject({ request: { permissionId: "p1" }, resolved: { decision: "deny", message: "not now" }, result: { isError: true } });
  });

  test("a prompt queued during a turn stays below that turn's output and result", () => {
    const v = buildView(SID, events(
      { type: "userMessage", data: { promptId: "a", text: "first", images: 0 } },
      { type: "sessionUpdate", data: { state: "active", reason: "turn-started", queueLength: 0 } },
      { type: "streamData", data: { kind: "delta", messageId: "m1", text: "Hel" } },
      { type: "userMessage", data: { promptId: "b", text: "second", images: 0 } },
      { type: "streamToolUse", data: { phase: "use", ...write } },
      { type: "streamComplete", data: { result: "", isError: false, subtype: "success", promptIds: ["a"] } },
    ));
    expect(v.items.map((i) => (i.kind === "user" ? i.text : i.kind))).toEqual(["first", "assistant", "tool", "result", "second"]);
  });

  test("each result carries its turn's own cost; the session total is their sum (a new process restarts the CLI's total)", () => {
    const done = (costUsd: number) => ({ type: "streamComplete" as const, data: { result: "", isError: false, subtype: "success", promptIds: [], costUsd } });
    const v = buildView(SID, events(done(0.01), done(0.03), done(0.002)));
    const costs = v.items.map((i) => (i.kind === "result" ? Number(i.turnCostUsd?.toFixed(4)) : null));
    expect(costs).toEqual([0.01, 0.02, 0.002]);
    expect(v.totalCostUsd).toBeCloseTo(0.032, 6);
  });

  test("an API error is one block: the assistant message with the same text goes, the result line does not repeat it", () => {
    const text = "API Error: 500 Internal server error";
    const v = buildView(SID, events(
      { type: "userMessage", data: { promptId: "a", text: "hi", images: 0 } },
      { type: "sessionUpdate", data: { state: "active", reason: "turn-started", queueLength: 0 } },
      { type: "streamData", data: { kind: "message", messageId: "m1", text, content: [] } },
      { type: "sessionError", data: { code: "CLAUDE_ERROR", message: `Claude Code reported an error: ${text}`, details: { reason: text } } },
      { type: "streamComplete", data: { result: text, isError: true, subtype: "success", promptIds: ["a"] } },
    ));
    expect(v.items.map((i) => i.kind)).toEqual(["user", "error", "result"]);
    expect(v.items[2]).toMatchObject({ errorShown: true });
  });

  test("a crash shows the stderr tail; the failure after which the daemon says it cannot start is marked so", () => {
    const stderrTail = "--dangerously-skip-permissions cannot be used with root/sudo";
    const crash = { type: "sessionError" as const, data: { code: "CLAUDE_EXITED", message: "exited (code 1)", details: { exitCode: 1, stderrTail, beforeInit: true } } };
    const idle = { type: "sessionUpdate" as const, data: { state: "idle" as const, reason: "claude-exited", queueLength: 0 } };
    const cannotStart = { reason: stderrTail, exitCode: 1, signal: null, stderrTail, attempts: 2, since: 1, lastAttemptAt: 1 };
    // The same text twice is not enough on its own: only the daemon's cannotStart says it.
    const twice = buildView(SID, events(crash, idle, crash, idle));
    expect(twice.items.filter((i) => i.kind === "error" && i.again)).toEqual([]);
    const v = buildView(SID, events(crash, idle, crash, { ...idle, data: { ...idle.data, cannotStart } }));
    expect(v.items).toMatchObject([
      { kind: "error", stderrTail },
      { kind: "error", again: true },
    ]);
    expect(v.items[0]).not.toHaveProperty("again");
  });

  test("/compact: a 'compacted' notice, and the previous answer is not drawn again as a new reply", () => {
    const v = buildView(SID, events(
      { type: "userMessage", data: { promptId: "a", text: "hi", images: 0 } },
      { type: "streamData", data: { kind: "message", messageId: "m1", text: "The answer.", content: [] } },
      { type: "streamComplete", data: { result: "The answer.", isError: false, subtype: "success", promptIds: ["a"] } },
      { type: "userMessage", data: { promptId: "b", text: "/compact", images: 0 } },
      { type: "claudeEvent", data: { claudeType: "system", subtype: "compact_boundary", raw: {} } },
      { type: "streamData", data: { kind: "delta", messageId: "m2", text: "The answer." } },
      { type: "streamData", data: { kind: "message", messageId: "m2", text: "The answer.", content: [] } },
      { type: "streamComplete", data: { result: "The answer.", isError: false, subtype: "success", promptIds: ["b"] } },
      { type: "userMessage", data: { promptId: "c", text: "more", images: 0 } },
      { type: "streamData", data: { kind: "message", messageId: "m3", text: "The answer.", content: [] } },
    ));
    expect(v.items.map((i) => (i.kind === "assistant" ? `assistant:${i.text}` : i.kind))).toEqual([
      "user", "assistant:The answer.", "result", "user", "notice", "result", "user", "assistant:The answer.",
    ]);
    expect(v.items[4]).toMatchObject({ text: "Conversation compacted: Claude goes on from a summary of it." });
  });
});
