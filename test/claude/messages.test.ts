import { describe, expect, test } from "vitest";
import { MAX_TOOL_RESULT_LENGTH, mapClaudeLine, toolResultText } from "../../src/claude/messages.js";
import type { ClaudeEvent } from "../../src/claude/types.js";

// Lines from the transcripts in docs/claude-cli-protocol.md §7 and from runs of the real 2.1.332 CLI.
const SID = "bd1f2d99-91db-402f-afbd-d3e1a0378926";
const init = { type: "system", subtype: "init", session_id: SID, cwd: "/p/", model: "claude-opus-5-5", permissionMode: "default", tools: ["Write"] };
const textDelta = {
  type: "stream_event",
  event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello " } },
  session_id: SID, parent_tool_use_id: null, uuid: "45ce0acd", api_message_id: "msg_fake1",
};
const messageStart = { type: "stream_event", event: { type: "message_start", message: { id: "msg_fake1" } }, ttft_ms: 70, api_message_id: "msg_fake1" };
const inputJsonDelta = { type: "stream_event", event: { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "{\"a" } } };
const assistantText = { type: "assistant", message: { id: "msg_9", content: [{ type: "text", text: "I will use a tool." }], stop_reason: null } };
const toolUseInput = { file_path: "/p/hello.txt", content: "hi\n" };
const assistantTool = { type: "assistant", message: { id: "msg_9", content: [{ type: "tool_use", id: "toolu_9", name: "Write", input: toolUseInput }], stop_reason: null } };
const aborted = { type: "assistant", message: { id: "msg_251", content: [{ type: "text", text: "w0 w1 w2 " }], stop_reason: null }, aborted: true };
const canUseTool = {
  type: "control_request", request_id: "5b7f00a2",
  request: {
    subtype: "can_use_tool", tool_name: "Write", display_name: "Write", input: toolUseInput, description: "hello.txt",
    permission_suggestions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }], tool_use_id: "toolu_9",
  },
};
const canUseToolOutside = {
  type: "control_request", request_id: "2277bbc9",
  request: {
    subtype: "can_use_tool", tool_name: "Bash", input: { command: "touch /x/y" }, blocked_path: "/x/y",
    decision_reason: "Path is outside allowed working directories", tool_use_id: "toolu_1",
  },
};
const toolResultOk = {
  type: "user",
  message: { role: "user", content: [{ tool_use_id: "toolu_9", type: "tool_result", content: "File created successfully at: /p/hello.txt" }] },
  tool_use_result: { type: "create", filePath: "/p/hello.txt", content: "hi\n", structuredPatch: [], originalFile: null, userModified: false },
};
const toolResultDenied = {
  type: "user",
  message: { role: "user", content: [{ type: "tool_result", content: "User said no from the phone", is_error: true, tool_use_id: "toolu_12" }] },
  tool_use_result: "Error: User said no from the phone",
};
const toolResultBlocks = {
  type: "user",
  message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "line 1" }, { type: "image", source: {} }, { type: "text", text: "line 2" }] }] },
};
const interruptMarker = { type: "user", message: { role: "user", content: [{ type: "text", text: "[Request interrupted by user]" }] } };
const setModelReplay = { type: "user", message: { role: "user", content: "<local-command-stdout>Set model to sonnet</local-command-stdout>" }, isReplay: true };
const resultOk = {
  duration_api_ms: 113, stop_reason: "end_turn", session_id: SID, total_cost_usd: 0.00012, usage: { input_tokens: 10, output_tokens: 4 },
  permission_denials: [], terminal_reason: "completed", is_error: false, num_turns: 1, subtype: "success", result: "Hello from fake API.",
  type: "result", duration_ms: 317, user_message_uuid: "u-1", user_message_uuids: ["u-1"],
};
const resultInterrupted = {
  type: "result", subtype: "error_during_execution", is_error: true, num_turns: 2, stop_reason: null, terminal_reason: "aborted_streaming",
  permission_denials: [], errors: ["[ede_diagnostic] result_type=user"],
};
const resultApiError = {
  type: "result", subtype: "success", is_error: true, result: "API Error: 500 Internal server error", terminal_reason: "api_error",
  api_error_status: 500, user_message_uuid: "u-2",
};
const cancel = { type: "control_cancel_request", request_id: "2c3bcfa1" };
const statusMode = { type: "system", subtype: "status", status: null, permissionMode: "acceptEdits", session_id: SID };
const statusRequesting = { type: "system", subtype: "status", status: "requesting" };
const apiRetry = { type: "system", subtype: "api_retry", attempt: 1, max_retries: 10, retry_delay_ms: 550, error_status: 500, error: "server_error" };
const lifecycle = { type: "command_lifecycle", command_uuid: "u-1", state: "queued" };
const controlResponse = { type: "control_response", response: { subtype: "success", request_id: "int-1", response: { still_queued: [] } } };
const hookCallback = { type: "control_request", request_id: "h1", request: { subtype: "hook_callback", callback_id: "c" } };

describe("mapClaudeLine", () => {
  test.each<[string, Record<string, unknown>, ClaudeEvent[]]>([
    ["system/init", init, [{ kind: "init", sessionId: SID, model: "claude-opus-5-5", permissionMode: "default", raw: init }]],
    ["text_delta stream event", textDelta, [{ kind: "textDelta", messageId: "msg_fake1", index: 0, text: "Hello " }]],
    ["other stream events", messageStart, [{ kind: "other", claudeType: "stream_event", subtype: "message_start", raw: messageStart }]],
    ["input_json_delta", inputJsonDelta, [{ kind: "other", claudeType: "stream_event", subtype: "content_block_delta", raw: inputJsonDelta }]],
    ["text_delta without index or message id", { type: "stream_event", event: { type: "content_block_delta", delta: { type: "text_delta", text: "x" } } }, [{ kind: "textDelta", text: "x" }]],
    ...(
      [
        ["text not a string", { type: "stream_event", event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: 5 } } }, "content_block_delta"],
        ["index not a number", { type: "stream_event", event: { type: "content_block_delta", index: "0", delta: { type: "text_delta", text: "x" } } }, "content_block_delta"],
        ["message id not a string", { type: "stream_event", api_message_id: 7, event: { type: "content_block_delta", delta: { type: "text_delta", text: "x" } } }, undefined],
        ["event missing", { type: "stream_event" }, undefined],
      ] as [string, Record<string, unknown>, string | undefined][]
    ).map(([name, line, subtype]): [string, Record<string, unknown>, ClaudeEvent[]] => [
      `malformed text_delta (${name}) is passed on`,
      line,
      [subtype === undefined ? { kind: "other", claudeType: "stream_event", raw: line } : { kind: "other", claudeType: "stream_event", subtype, raw: line }],
    ]),
    ["assistant text block", assistantText, [{ kind: "assistant", messageId: "msg_9", text: "I will use a tool.", content: assistantText.message.content }]],
    [
      "assistant tool_use block",
      assistantTool,
      [
        { kind: "assistant", messageId: "msg_9", text: "", content: assistantTool.message.content },
        { kind: "toolUse", toolUseId: "toolu_9", name: "Write", input: toolUseInput },
      ],
    ],
    ["aborted assistant", aborted, [{ kind: "assistant", messageId: "msg_251", text: "w0 w1 w2 ", content: aborted.message.content, aborted: true }]],
    [
      "can_use_tool",
      canUseTool,
      [{
        kind: "permissionRequest", requestId: "5b7f00a2", toolName: "Write", toolUseId: "toolu_9", input: toolUseInput, description: "hello.txt",
        suggestions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }],
      }],
    ],
    [
      "can_use_tool with blocked_path and decision_reason",
      canUseToolOutside,
      [{
        kind: "permissionRequest", requestId: "2277bbc9", toolName: "Bash", toolUseId: "toolu_1", input: { command: "touch /x/y" },
        blockedPath: "/x/y", decisionReason: "Path is outside allowed working directories", suggestions: [],
      }],
    ],
    ["control_cancel_request", cancel, [{ kind: "permissionCancelled", requestId: "2c3bcfa1" }]],
    [
      "tool_result (allowed Write)",
      toolResultOk,
      [{ kind: "toolResult", toolUseId: "toolu_9", isError: false, content: "File created successfully at: /p/hello.txt", structured: toolResultOk.tool_use_result }],
    ],
    [
      "tool_result (denied)",
      toolResultDenied,
      [{ kind: "toolResult", toolUseId: "toolu_12", isError: true, content: "User said no from the phone", structured: "Error: User said no from the phone" }],
    ],
    ["tool_result with content blocks", toolResultBlocks, [{ kind: "toolResult", toolUseId: "t1", isError: false, content: "line 1\n[image]\nline 2" }]],
    ["interrupt marker user line", interruptMarker, [{ kind: "other", claudeType: "user", raw: interruptMarker }]],
    ["set_model replay user line", setModelReplay, [{ kind: "other", claudeType: "user", raw: setModelReplay }]],
    [
      "result success (type is not the first key)",
      resultOk,
      [{
        kind: "result", subtype: "success", isError: false, result: "Hello from fake API.", usage: { input_tokens: 10, output_tokens: 4 },
        costUsd: 0.00012, durationMs: 317, numTurns: 1, terminalReason: "completed", userMessageUuids: ["u-1"],
      }],
    ],
    [
      "result of an interrupt (errors instead of result)",
      resultInterrupted,
      [{
        kind: "result", subtype: "error_during_execution", isError: true, result: "[ede_diagnostic] result_type=user", numTurns: 2,
        terminalReason: "aborted_streaming", userMessageUuids: [],
      }],
    ],
    [
      "result of an API error",
      resultApiError,
      [{ kind: "result", subtype: "success", isError: true, result: "API Error: 500 Internal server error", terminalReason: "api_error", userMessageUuids: ["u-2"] }],
    ],
    ["system/status with a mode", statusMode, [{ kind: "permissionModeChanged", mode: "acceptEdits" }]],
    ["system/status requesting", statusRequesting, [{ kind: "other", claudeType: "system", subtype: "status", raw: statusRequesting }]],
    ["system/api_retry", apiRetry, [{ kind: "other", claudeType: "system", subtype: "api_retry", raw: apiRetry }]],
    ["command_lifecycle", lifecycle, [{ kind: "other", claudeType: "command_lifecycle", subtype: "queued", raw: lifecycle }]],
    ["control_response", controlResponse, [{ kind: "other", claudeType: "control_response", raw: controlResponse }]],
    ["other control requests", hookCallback, [{ kind: "other", claudeType: "control_request", subtype: "hook_callback", raw: hookCallback }]],
    ["an unknown type", { type: "bogus", x: 1 }, [{ kind: "other", claudeType: "bogus", raw: { type: "bogus", x: 1 } }]],
    ["no type at all", { x: 1 }, [{ kind: "other", claudeType: "unknown", raw: { x: 1 } }]],
    ["a malformed assistant line", { type: "assistant", message: "oops" }, [{ kind: "other", claudeType: "assistant", raw: { type: "assistant", message: "oops" } }]],
    ["a malformed result", { type: "result" }, [{ kind: "other", claudeType: "result", raw: { type: "result" } }]],
    [
      "a malformed can_use_tool",
      { type: "control_request", request_id: "r", request: { subtype: "can_use_tool" } },
      [{ kind: "other", claudeType: "control_request", subtype: "can_use_tool", raw: { type: "control_request", request_id: "r", request: { subtype: "can_use_tool" } } }],
    ],
  ])("%s", (_name, line, expected) => {
    expect(mapClaudeLine(line)).toEqual(expected);
  });
});

describe("toolResultText", () => {
  test.each<[string, unknown, string]>([
    ["a string", "ok", "ok"],
    ["undefined", undefined, ""],
    ["null", null, ""],
    ["an object", { a: 1 }, '{"a":1}'],
    ["text blocks", [{ type: "text", text: "a" }, { type: "text", text: "b" }], "a\nb"],
  ])("%s", (_name, content, expected) => {
    expect(toolResultText(content)).toBe(expected);
  });

  test("cuts content over 64 KiB with a marker", () => {
    const text = toolResultText("x".repeat(MAX_TOOL_RESULT_LENGTH + 10));
    expect(text.length).toBe(MAX_TOOL_RESULT_LENGTH);
    expect(text).toMatch(/\[truncated by claude-companion\]$/);
    expect(toolResultText("y".repeat(MAX_TOOL_RESULT_LENGTH))).toBe("y".repeat(MAX_TOOL_RESULT_LENGTH));
  });
});
