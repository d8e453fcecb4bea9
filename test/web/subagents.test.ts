// A subagent's events (parentToolUseId = its Agent tool use) fold into that card's children, not the transcript.
import { expect, test } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import { mapClaudeLine } from "../../src/claude/messages.js";
import { buildView } from "../../src/web/transcript.js";

let seq = 0;
const ev = (type: string, data: unknown) => ({ seq: ++seq, sessionId: "s", ts: 1, type, data }) as SessionEvent;

test("Claude's parent_tool_use_id becomes parentToolUseId on the subagent's messages, tool uses and results", () => {
  const use = mapClaudeLine({ type: "assistant", parent_tool_use_id: "agent1", message: { id: "m", content: [{ type: "tool_use", id: "r1", name: "Read", input: {} }] } });
  expect(use.map((e) => ("parentToolUseId" in e ? e.parentToolUseId : null))).toEqual(["agent1", "agent1"]);
  const result = mapClaudeLine({ type: "user", parent_tool_use_id: "agent1", message: { content: [{ type: "tool_result", tool_use_id: "r1", content: "x" }] } });
  expect(result[0]).toMatchObject({ kind: "toolResult", parentToolUseId: "agent1" });
  const main = mapClaudeLine({ type: "assistant", parent_tool_use_id: null, message: { content: [{ type: "tool_use", id: "a", name: "Agent", input: {} }] } });
  expect(main.some((e) => "parentToolUseId" in e)).toBe(false);
});

test("the subagent's text and tool uses are the Agent card's children; the transcript holds the Agent card only", () => {
  const view = buildView("s", [
    ev("streamToolUse", { phase: "use", toolUseId: "agent1", name: "Agent", input: { description: "Read a file" } }),
    ev("streamData", { kind: "message", text: "I will use a tool.", content: [], parentToolUseId: "agent1" }),
    ev("streamToolUse", { phase: "use", toolUseId: "r1", name: "Read", input: { file_path: "/x" }, parentToolUseId: "agent1" }),
    ev("streamToolUse", { phase: "result", toolUseId: "r1", isError: false, content: "1\thi", parentToolUseId: "agent1" }),
    ev("streamToolUse", { phase: "result", toolUseId: "agent1", isError: false, content: "done" }),
  ]);
  expect(view.items.map((i) => i.kind)).toEqual(["tool"]);
  const card = view.items[0] as Extract<(typeof view.items)[number], { kind: "tool" }>;
  expect(card.result?.content).toBe("done");
  expect(card.children?.map((c) => (c.kind === "tool" ? `tool ${c.name} ${c.result?.content}` : c.kind === "assistant" ? `text ${c.text}` : c.kind))).toEqual([
    "text I will use a tool.",
    "tool Read 1\thi",
  ]);
});

test("a subagent event whose Agent card is not in the view is shown as usual", () => {
  const view = buildView("s", [ev("streamToolUse", { phase: "use", toolUseId: "r1", name: "Read", input: {}, parentToolUseId: "gone" })]);
  expect(view.items.map((i) => i.kind)).toEqual(["tool"]);
});
