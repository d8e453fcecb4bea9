// Schemas of Claude Code's stream-json stdout lines and their mapping to ClaudeEvent. Pure: no I/O, never throws.
import { z } from "zod";
import type { ClaudeEvent } from "./types.js";

/** Longest tool_result content passed on, in characters (64 KiB); the rest is cut with a marker. */
export const MAX_TOOL_RESULT_LENGTH = 64 * 1024;
const TRUNCATED_MARKER = "\n… [truncated by claude-companion]";

const ContentBlockSchema = z.looseObject({ type: z.string() });

export const SystemInitSchema = z.looseObject({
  type: z.literal("system"),
  subtype: z.literal("init"),
  session_id: z.string().optional(),
  cwd: z.string().optional(),
  model: z.string().optional(),
  permissionMode: z.string().optional(),
});

/** `system/status`: `status:"requesting"` before API calls, or `permissionMode` after a mode change. */
export const SystemStatusSchema = z.looseObject({
  type: z.literal("system"),
  subtype: z.literal("status"),
  status: z.string().nullable().optional(),
  permissionMode: z.string().optional(),
});

/** One line per completed content block; `aborted` when cut off by an interrupt. */
export const AssistantLineSchema = z.looseObject({
  type: z.literal("assistant"),
  message: z.looseObject({ id: z.string().optional(), content: z.array(ContentBlockSchema) }),
  aborted: z.boolean().optional(),
});

export const ToolUseBlockSchema = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});

/** CLI-authored user lines: tool results, interrupt markers, replays. */
export const UserLineSchema = z.looseObject({
  type: z.literal("user"),
  message: z.looseObject({ content: z.union([z.string(), z.array(ContentBlockSchema)]) }),
  tool_use_result: z.unknown().optional(),
});

export const ToolResultBlockSchema = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.unknown().optional(),
  is_error: z.boolean().optional(),
});

/** Raw Messages-API stream events (only with --include-partial-messages). */
export const StreamEventSchema = z.looseObject({
  type: z.literal("stream_event"),
  event: z.looseObject({ type: z.string() }),
  api_message_id: z.string().optional(),
});

export const TextDeltaEventSchema = z.looseObject({
  type: z.literal("content_block_delta"),
  index: z.number().optional(),
  delta: z.looseObject({ type: z.literal("text_delta"), text: z.string() }),
});

/** Exactly one per turn. `result` is absent on some error subtypes, which carry `errors[]` instead. */
export const ResultLineSchema = z.looseObject({
  type: z.literal("result"),
  subtype: z.string(),
  is_error: z.boolean().optional(),
  result: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
  usage: z.record(z.string(), z.unknown()).optional(),
  total_cost_usd: z.number().optional(),
  duration_ms: z.number().optional(),
  num_turns: z.number().optional(),
  terminal_reason: z.string().optional(),
  user_message_uuid: z.string().optional(),
  user_message_uuids: z.array(z.string()).optional(),
});

export const CanUseToolRequestSchema = z.looseObject({
  type: z.literal("control_request"),
  request_id: z.string(),
  request: z.looseObject({
    subtype: z.literal("can_use_tool"),
    tool_name: z.string(),
    input: z.unknown(),
    tool_use_id: z.string().optional(),
    description: z.string().optional(),
    blocked_path: z.string().optional(),
    decision_reason: z.string().optional(),
    permission_suggestions: z.array(z.unknown()).optional(),
  }),
});

/** Any control_request from the CLI (can_use_tool, hook_callback, elicitation, …). */
export const ControlRequestSchema = z.looseObject({
  type: z.literal("control_request"),
  request_id: z.string(),
  request: z.looseObject({ subtype: z.string() }),
});

export const ControlCancelRequestSchema = z.looseObject({
  type: z.literal("control_cancel_request"),
  request_id: z.string(),
});

/** The CLI's answer to one of our control requests, matched by `request_id`. */
export const ControlResponseSchema = z.looseObject({
  type: z.literal("control_response"),
  response: z.looseObject({
    subtype: z.string(),
    request_id: z.string(),
    response: z.record(z.string(), z.unknown()).optional(),
    error: z.string().optional(),
    error_code: z.string().optional(),
  }),
});
export type ControlResponseLine = z.infer<typeof ControlResponseSchema>;

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
    },
  ];
  for (const block of content) {
    const tool = ToolUseBlockSchema.safeParse(block);
    if (tool.success) events.push({ kind: "toolUse", toolUseId: tool.data.id, name: tool.data.name, input: tool.data.input });
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

function mapStreamEvent(obj: Record<string, unknown>): ClaudeEvent[] {
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
