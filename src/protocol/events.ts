// Session events: the records of a session's append-only log, served identically by REST history and WS.
import { z } from "zod";
import { CannotStartSchema } from "./cannot-start.js";
import { SessionGrantSchema } from "./grants.js";
import { DecisionSchema, PermissionModeSchema, SessionStateSchema, UsageSchema } from "./common.js";

/** A user prompt as it entered the session (images are counted, not repeated). */
export const UserMessageData = z.object({
  promptId: z.string(),
  text: z.string(),
  images: z.number().int().nonnegative(),
});

/** Assistant output: `delta` is a live text fragment, `message` a completed content block. */
export const StreamDataData = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("delta"), messageId: z.string().optional(), index: z.number().int().optional(), text: z.string() }),
  z.object({
    kind: z.literal("message"),
    messageId: z.string().optional(),
    text: z.string(),
    /** The raw content block(s) of the assistant line, for clients that render thinking etc. */
    content: z.array(z.unknown()),
    aborted: z.boolean().optional(),
    /** Said inside a subagent: the toolUseId of the Agent tool use that runs it. Absent in the main conversation. */
    parentToolUseId: z.string().optional(),
  }),
]);

/** A tool use (`phase: "use"`) and later its result (`phase: "result"`), linked by toolUseId. */
export const StreamToolUseData = z.discriminatedUnion("phase", [
  z.object({
    phase: z.literal("use"),
    toolUseId: z.string(),
    name: z.string(),
    input: z.unknown(),
    /** Used by a subagent: the toolUseId of the Agent tool use that runs it. Absent in the main conversation. */
    parentToolUseId: z.string().optional(),
  }),
  z.object({
    phase: z.literal("result"),
    toolUseId: z.string(),
    isError: z.boolean(),
    /** Text of the tool result (truncated to 64 KiB). */
    content: z.string(),
    /** Structured tool output from Claude (e.g. Bash stdout/stderr, Write patch), when present. */
    structured: z.unknown().optional(),
    /** As on the use: the Agent tool use whose subagent used the tool. */
    parentToolUseId: z.string().optional(),
  }),
]);

export const PERMISSION_KINDS = ["tool", "question", "plan"] as const;

export const PermissionRequestData = z.object({
  permissionId: z.string(),
  /** `question` for AskUserQuestion (answer with updatedInput.answers), `plan` for ExitPlanMode. */
  kind: z.enum(PERMISSION_KINDS),
  toolName: z.string(),
  toolUseId: z.string().optional(),
  input: z.unknown(),
  description: z.string().optional(),
  blockedPath: z.string().optional(),
  /** Permission updates the CLI suggests; sent back on allowAlways. */
  suggestions: z.array(z.unknown()),
  /** ms since epoch when the request is denied automatically. */
  expiresAt: z.number(),
});

export const RESOLUTION_SOURCES = ["client", "timeout", "cancelled", "shutdown"] as const;

export const PermissionResolvedData = z.object({
  permissionId: z.string(),
  decision: DecisionSchema,
  /** Who resolved it: a client (with its connection/device label), a timeout, or Claude withdrawing it. */
  by: z.enum(RESOLUTION_SOURCES),
  client: z.string().optional(),
  message: z.string().optional(),
});

export const StreamCompleteData = z.object({
  result: z.string(),
  isError: z.boolean(),
  subtype: z.string(),
  usage: UsageSchema.optional(),
  costUsd: z.number().optional(),
  durationMs: z.number().optional(),
  numTurns: z.number().optional(),
  terminalReason: z.string().optional(),
  promptIds: z.array(z.string()),
});

export const SessionUpdateData = z.object({
  state: SessionStateSchema,
  previousState: SessionStateSchema.optional(),
  /** Why the state changed, e.g. "turn-started", "turn-complete", "idle-timeout", "shutdown", "closed". */
  reason: z.string(),
  queueLength: z.number().int().nonnegative(),
  permissionMode: PermissionModeSchema.optional(),
  model: z.string().optional(),
  /** Queued prompts dropped by this change (interrupt, timeout, crash, close); they never ran. */
  droppedPromptIds: z.array(z.string()).optional(),
  /** Present while the session cannot start (see SessionInfo.cannotStart); absent when it can. */
  cannotStart: CannotStartSchema.optional(),
  /**
   * With reason "terminal" (the session was handed to a terminal): how many events its Claude Code transcript held
   * when the daemon let go (the seq of `GET /api/history/:id/events`). What the terminal writes after that is
   * followed on `subscribe` and imported into this session's log on resume.
   */
  transcriptSeq: z.number().int().nonnegative().optional(),
  /** The session's grants (SessionInfo.grants), sent when they changed: reasons "grants-changed" and "grant-revoked". */
  grants: z.array(SessionGrantSchema).optional(),
});

export const SessionErrorData = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

/** Any Claude line we do not map (system/api_retry, system/init, unknown types): passed on, never dropped. */
export const ClaudeEventData = z.object({
  claudeType: z.string(),
  subtype: z.string().optional(),
  raw: z.unknown(),
});

/** A process named by a warning (e.g. a CPU runaway). */
export const WarningProcess = z.object({ pid: z.number().int(), command: z.string(), cpu: z.number() });

export const WarningData = z.object({
  message: z.string(),
  line: z.string().optional(),
  /** What the warning is about: absent for a bad stdout line, "cpu" for a runaway (CPU_LIMIT_ACTION=warn). */
  kind: z.string().optional(),
  /** The busiest process (kind "cpu"). */
  process: WarningProcess.optional(),
  /** Every process named (kind "cpu"): the fewest busiest whose CPU together is over the limit. */
  processes: z.array(WarningProcess).optional(),
});

const ev = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    /** Per-session sequence number: 1, 2, 3 … with no gaps. */
    seq: z.number().int().positive(),
    sessionId: z.string(),
    /** ms since epoch when the event was recorded. */
    ts: z.number(),
    type: z.literal(type),
    data,
  });

export const SessionEventSchema = z.discriminatedUnion("type", [
  ev("userMessage", UserMessageData),
  ev("streamData", StreamDataData),
  ev("streamToolUse", StreamToolUseData),
  ev("permissionRequest", PermissionRequestData),
  ev("permissionResolved", PermissionResolvedData),
  ev("streamComplete", StreamCompleteData),
  ev("sessionUpdate", SessionUpdateData),
  ev("sessionError", SessionErrorData),
  ev("claudeEvent", ClaudeEventData),
  ev("warning", WarningData),
]);
export type SessionEvent = z.infer<typeof SessionEventSchema>;
export type SessionEventType = SessionEvent["type"];
export type SessionEventData<T extends SessionEventType> = Extract<SessionEvent, { type: T }>["data"];
/** An event before the log numbers it. */
export type NewSessionEvent = { [K in SessionEventType]: { type: K; data: SessionEventData<K> } }[SessionEventType];
export const SESSION_EVENT_TYPES = SessionEventSchema.options.map((o) => o.shape.type.value);
