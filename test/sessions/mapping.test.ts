import { describe, expect, test } from "vitest";
import type { ClaudeEvent } from "../../src/claude/types.js";
import { SessionEventSchema } from "../../src/protocol/events.js";
import { MAX_TOOL_RESULT_LENGTH, mapClaudeLine } from "../../src/claude/messages.js";
import { isStreamClaudeEvent, mapStreamEvent } from "../../src/sessions/map-event.js";
import { permissionKind, toPermissionAnswer, type PermissionClientAnswer, type PermissionRequest } from "../../src/sessions/permissions.js";

describe("mapStreamEvent", () => {
  test.each<[string, ClaudeEvent, unknown]>([
    ["delta", { kind: "textDelta", text: "Hel", messageId: "m1", index: 0 }, { type: "streamData", data: { kind: "delta", text: "Hel", messageId: "m1", index: 0 } }],
    ["delta without ids", { kind: "textDelta", text: "x" }, { type: "streamData", data: { kind: "delta", text: "x" } }],
    [
      "assistant",
      { kind: "assistant", text: "Hi", content: [{ type: "text", text: "Hi" }], aborted: true },
      { type: "streamData", data: { kind: "message", text: "Hi", content: [{ type: "text", text: "Hi" }], aborted: true } },
    ],
    ["tool use", { kind: "toolUse", toolUseId: "t1", name: "Write", input: { a: 1 } }, { type: "streamToolUse", data: { phase: "use", toolUseId: "t1", name: "Write", input: { a: 1 } } }],
    [
      "tool result",
      { kind: "toolResult", toolUseId: "t1", isError: false, content: "ok", structured: { stdout: "ok" } },
      { type: "streamToolUse", data: { phase: "result", toolUseId: "t1", isError: false, content: "ok", structured: { stdout: "ok" } } },
    ],
    ["init", { kind: "init", model: "m", raw: { type: "system", subtype: "init" } }, { type: "claudeEvent", data: { claudeType: "system", subtype: "init", raw: { type: "system", subtype: "init" } } }],
    ["other", { kind: "other", claudeType: "system", subtype: "api_retry", raw: { n: 1 } }, { type: "claudeEvent", data: { claudeType: "system", subtype: "api_retry", raw: { n: 1 } } }],
    ["warning", { kind: "warning", message: "not JSON", line: "garbage" }, { type: "warning", data: { message: "not JSON", line: "garbage" } }],
  ])("%s", (_name, event, expected) => {
    expect(isStreamClaudeEvent(event)).toBe(true);
    if (!isStreamClaudeEvent(event)) return;
    const mapped = mapStreamEvent(event);
    expect(mapped).toEqual(expected);
    expect(SessionEventSchema.safeParse({ seq: 1, sessionId: "s", ts: 1, ...mapped }).success).toBe(true);
  });

  test.each<ClaudeEvent>([
    { kind: "permissionRequest", requestId: "r", toolName: "Write", input: {}, suggestions: [] },
    { kind: "permissionCancelled", requestId: "r" },
    { kind: "permissionModeChanged", mode: "plan" },
    { kind: "result", subtype: "success", isError: false, result: "", userMessageUuids: [] },
  ])("$kind needs session state", (event) => {
    expect(isStreamClaudeEvent(event)).toBe(false);
  });

  test("tool results are cut to 64 KiB (PROTOCOL.md: at most 64 KiB), once, by claude/", () => {
    const line = { type: "user", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "y".repeat(MAX_TOOL_RESULT_LENGTH + 10) }] } };
    const [event] = mapClaudeLine(line);
    const mapped = event && isStreamClaudeEvent(event) ? mapStreamEvent(event) : undefined;
    const content = mapped?.type === "streamToolUse" && mapped.data.phase === "result" ? mapped.data.content : "";
    expect(content.startsWith("y".repeat(MAX_TOOL_RESULT_LENGTH - 100))).toBe(true);
    expect(content.length).toBe(MAX_TOOL_RESULT_LENGTH);
    expect(content).toMatch(/\[truncated by claude-companion\]$/);
  });
});

describe("permission decisions", () => {
  const write: Pick<PermissionRequest, "kind" | "input" | "suggestions"> = {
    kind: "tool",
    input: { file_path: "/p/a.txt", content: "hi" },
    suggestions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }, { type: "addRules", rules: [{ toolName: "Bash" }], behavior: "allow" }],
  };
  const question: Pick<PermissionRequest, "kind" | "input" | "suggestions"> = {
    kind: "question",
    input: { questions: [{ question: "Colour?", options: [{ label: "Blue" }] }] },
    suggestions: [],
  };

  test.each<[string, Pick<PermissionRequest, "kind" | "input" | "suggestions">, PermissionClientAnswer, unknown]>([
    ["allow keeps the input", write, { decision: "allow" }, { behavior: "allow", updatedInput: write.input }],
    ["allow with an edited input", write, { decision: "allow", updatedInput: { x: 1 } }, { behavior: "allow", updatedInput: { x: 1 } }],
    [
      "allowAlways sends the suggestions back, session by default",
      write,
      { decision: "allowAlways" },
      {
        behavior: "allow",
        updatedInput: write.input,
        updatedPermissions: [
          { type: "setMode", mode: "acceptEdits", destination: "session" },
          { type: "addRules", rules: [{ toolName: "Bash" }], behavior: "allow", destination: "session" },
        ],
      },
    ],
    [
      "allowAlways sends a settings suggestion for this session only (never into the project's .claude/settings.local.json)",
      { ...write, suggestions: [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm test" }], behavior: "allow", destination: "localSettings" }, { type: "addDirectories", directories: ["/srv"], destination: "userSettings" }] },
      { decision: "allowAlways" },
      {
        behavior: "allow",
        updatedInput: write.input,
        updatedPermissions: [
          { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm test" }], behavior: "allow", destination: "session" },
          { type: "addDirectories", directories: ["/srv"], destination: "session" },
        ],
      },
    ],
    ["deny with the default message", write, { decision: "deny" }, { behavior: "deny", message: "Denied from claude-companion" }],
    ["deny with the client's message", write, { decision: "deny", message: "not now" }, { behavior: "deny", message: "not now" }],
    [
      "question answers are merged into the original input",
      question,
      { decision: "allow", updatedInput: { answers: { "Colour?": "Blue" } } },
      { behavior: "allow", updatedInput: { ...(question.input as object), answers: { "Colour?": "Blue" } } },
    ],
  ])("%s", (_name, request, answer, expected) => {
    expect(toPermissionAnswer(request, answer)).toEqual(expected);
  });

  test.each([
    ["AskUserQuestion", "question"],
    ["ExitPlanMode", "plan"],
    ["Write", "tool"],
    ["Bash", "tool"],
  ])("%s is a %s prompt", (tool, kind) => {
    expect(permissionKind(tool)).toBe(kind);
  });
});
