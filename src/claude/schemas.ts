// Zod schemas (loose: unknown fields pass) of the Claude Code stream-json lines we read. Declarations only.
import { z } from "zod";

export const ContentBlockSchema = z.looseObject({ type: z.string() });

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
  /** Set inside a subagent: the id of the Agent tool use that runs it (null in the main conversation). */
  parent_tool_use_id: z.string().nullable().optional(),
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
  parent_tool_use_id: z.string().nullable().optional(),
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
