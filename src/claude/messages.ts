// Schemas of Claude Code's stream-json stdout lines and their mapping to ClaudeEvent. Pure: no I/O, never throws.
import {
  AssistantLineSchema,
  CanUseToolRequestSchema,
  ControlCancelRequestSchema,
  ResultLineSchema,
  StreamEventSchema,
  SystemInitSchema,
  SystemStatusSchema,
  TextDeltaEventSchema,
  ToolResultBlockSchema,
  ToolUseBlockSchema,
  UserLineSchema,
} from "./schemas.js";
import type { ClaudeEvent } from "./types.js";

/** Longest tool_result content passed on, in characters (64 KiB); the rest is cut with a marker. */
export const MAX_TOOL_RESULT_LENGTH = 64 * 1024;
const TRUNCATED_MARKER = "\n… [truncated by claude-companion]";

/** Text of a tool_result `content` (string, or blocks of which text is kept), cut to 64 KiB. */
export function toolResultText(content: unknown): string {
  let text: string;
  if (typeof content === "string") text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((b: unknown) => {
        const block = b as { type?: unknown; text?: unknown };
        if (block?.type === "text" && typeof block.text === "string") return block.text;
        return `[${typeof block?.type === "string" ? block.type : "block"}]`;
      })
      .join("\n");
  } else if (content === undefined || content === null) text = "";
  else text = JSON.stringify(content);
  if (text.length <= MAX_TOOL_RESULT_LENGTH) return text;
  return text.slice(0, MAX_TOOL_RESULT_LENGTH - TRUNCATED_MARKER.length) + TRUNCATED_MARKER;
}

function other(obj: Record<string, unknown>, subtype?: unknown): ClaudeEvent {
  const claudeType = typeof obj.type === "string" ? obj.type : "unknown";
  const sub = subtype ?? obj.subtype;
  return typeof sub === "string" ? { kind: "other", claudeType, subtype: sub, raw: obj } : { kind: "other", claudeType, raw: obj };
}

function mapAssistant(obj: Record<string, unknown>): ClaudeEvent[] | undefined {
  const line = AssistantLineSchema.safeParse(obj);
  if (!line.success) return undefined;
  const content = line.data.message.content;
  const parent = line.data.parent_tool_use_id ?? undefined;
  const text = content
    .filter((b) => b.type === "text" && typeof b.text === "string")
    .map((b) => b.text as string)
    .join("");
  const events: ClaudeEvent[] = [
    {
      kind: "assistant",
      ...(line.data.message.id !== undefined && { messageId: line.data.message.id }),
      text,
      content,
      ...(line.data.aborted === true && { aborted: true }),
      ...(parent !== undefined && { parentToolUseId: parent }),
    },
  ];
  for (const block of content) {
    const tool = ToolUseBlockSchema.safeParse(block);
    if (tool.success) {
      events.push({ kind: "toolUse", toolUseId: tool.data.id, name: tool.data.name, input: tool.data.input, ...(parent !== undefined && { parentToolUseId: parent }) });
    }
  }
  return events;
}

function mapUser(obj: Record<string, unknown>): ClaudeEvent[] | undefined {
  const line = UserLineSchema.safeParse(obj);
  if (!line.success || typeof line.data.message.content === "string") return undefined;
  const events: ClaudeEvent[] = [];
  for (const block of line.data.message.content) {
    const result = ToolResultBlockSchema.safeParse(block);
    if (!result.success) continue;
    events.push({
      kind: "toolResult",
      toolUseId: result.data.tool_use_id,
      isError: result.data.is_error === true,
      content: toolResultText(result.data.content),
      ...(line.data.tool_use_result !== undefined && { structured: line.data.tool_use_result }),
      ...(line.data.parent_tool_use_id != null && { parentToolUseId: line.data.parent_tool_use_id }),
    });
  }
  return events.length > 0 ? events : undefined;
}

function mapResult(obj: Record<string, unknown>): ClaudeEvent[] | undefined {
  const line = ResultLineSchema.safeParse(obj);
  if (!line.success) return undefined;
  const r = line.data;
  const text = r.result ?? (r.errors ?? []).map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join("\n");
  const uuids = r.user_message_uuids ?? (r.user_message_uuid !== undefined ? [r.user_message_uuid] : []);
  return [
    {
      kind: "result",
      subtype: r.subtype,
      isError: r.is_error === true,
      result: text,
      ...(r.usage !== undefined && { usage: r.usage }),
      ...(r.total_cost_usd !== undefined && { costUsd: r.total_cost_usd }),
      ...(r.duration_ms !== undefined && { durationMs: r.duration_ms }),
      ...(r.num_turns !== undefined && { numTurns: r.num_turns }),
      ...(r.terminal_reason !== undefined && { terminalReason: r.terminal_reason }),
      userMessageUuids: uuids,
    },
  ];
}

function mapSystem(obj: Record<string, unknown>): ClaudeEvent[] | undefined {
  if (obj.subtype === "init") {
    const init = SystemInitSchema.safeParse(obj);
    if (!init.success) return undefined;
    return [
      {
        kind: "init",
        ...(init.data.session_id !== undefined && { sessionId: init.data.session_id }),
        ...(init.data.model !== undefined && { model: init.data.model }),
        ...(init.data.permissionMode !== undefined && { permissionMode: init.data.permissionMode }),
        raw: obj,
      },
    ];
  }
  if (obj.subtype === "status") {
    const status = SystemStatusSchema.safeParse(obj);
    if (status.success && status.data.permissionMode !== undefined) {
      return [{ kind: "permissionModeChanged", mode: status.data.permissionMode }];
    }
  }
  return undefined;
}

/**
 * The per-token line, `{type:"stream_event", event:{type:"content_block_delta", index?, delta:{type:"text_delta", text}},
 * api_message_id?}`, checked by hand: it is most of what Claude writes, and zod's loose objects copy every key of
 * the line. Anything else (or a field of the wrong type) returns undefined and takes the schema path.
 */
function fastTextDelta(obj: Record<string, unknown>): ClaudeEvent | undefined {
  const event = obj.event as { type?: unknown; index?: unknown; delta?: { type?: unknown; text?: unknown } } | null | undefined;
  if (typeof event !== "object" || event === null || event.type !== "content_block_delta") return undefined;
  const delta = event.delta;
  if (typeof delta !== "object" || delta === null || delta.type !== "text_delta" || typeof delta.text !== "string") return undefined;
  const { index } = event;
  const messageId = obj.api_message_id;
  if ((index !== undefined && typeof index !== "number") || (messageId !== undefined && typeof messageId !== "string")) return undefined;
  const out: { kind: "textDelta"; text: string; messageId?: string; index?: number } = { kind: "textDelta", text: delta.text };
  if (messageId !== undefined) out.messageId = messageId;
  if (index !== undefined) out.index = index;
  return out;
}

function mapStreamEvent(obj: Record<string, unknown>): ClaudeEvent[] {
  const fast = fastTextDelta(obj);
  if (fast) return [fast];
  const line = StreamEventSchema.safeParse(obj);
  if (!line.success) return [other(obj)];
  const delta = TextDeltaEventSchema.safeParse(line.data.event);
  if (!delta.success) return [other(obj, line.data.event.type)];
  return [
    {
      kind: "textDelta",
      ...(line.data.api_message_id !== undefined && { messageId: line.data.api_message_id }),
      ...(delta.data.index !== undefined && { index: delta.data.index }),
      text: delta.data.delta.text,
    },
  ];
}

function mapControlRequest(obj: Record<string, unknown>): ClaudeEvent[] | undefined {
  const req = CanUseToolRequestSchema.safeParse(obj);
  if (!req.success) return undefined;
  const r = req.data.request;
  return [
    {
      kind: "permissionRequest",
      requestId: req.data.request_id,
      toolName: r.tool_name,
      ...(r.tool_use_id !== undefined && { toolUseId: r.tool_use_id }),
      input: r.input,
      ...(r.description !== undefined && { description: r.description }),
      ...(r.blocked_path !== undefined && { blockedPath: r.blocked_path }),
      ...(r.decision_reason !== undefined && { decisionReason: r.decision_reason }),
      suggestions: r.permission_suggestions ?? [],
    },
  ];
}

/**
 * Maps one parsed stdout object to zero or more events (an assistant line with a tool_use block
 * gives `assistant` then `toolUse`). Anything unknown or malformed becomes `{kind:"other"}`; the
 * `subtype` of an other event is the line's `subtype`, or the stream event / control request /
 * lifecycle kind where the CLI nests it.
 */
export function mapClaudeLine(obj: Record<string, unknown>): ClaudeEvent[] {
  let mapped: ClaudeEvent[] | undefined;
  switch (obj.type) {
    case "stream_event":
      return mapStreamEvent(obj);
    case "assistant":
      mapped = mapAssistant(obj);
      break;
    case "user":
      mapped = mapUser(obj);
      break;
    case "result":
      mapped = mapResult(obj);
      break;
    case "system":
      mapped = mapSystem(obj);
      break;
    case "control_request":
      mapped = mapControlRequest(obj);
      if (!mapped) return [other(obj, (obj.request as { subtype?: unknown } | undefined)?.subtype)];
      break;
    case "control_cancel_request": {
      const cancel = ControlCancelRequestSchema.safeParse(obj);
      if (cancel.success) mapped = [{ kind: "permissionCancelled", requestId: cancel.data.request_id }];
      break;
    }
    case "command_lifecycle":
      return [other(obj, obj.state)];
  }
  return mapped ?? [other(obj)];
}
