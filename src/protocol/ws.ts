// WebSocket frames: the envelope, client -> server frames and server -> client frames (non-event).
import { z } from "zod";
import { ErrorBodySchema, SessionIdSchema } from "./common.js";
import {
  AskRequestSchema,
  PermissionAnswerSchema,
  SetModelSchema,
  SetPermissionModeSchema,
  StreamSendRequestSchema,
  StreamStartRequestSchema,
} from "./requests.js";
import { AskResponseSchema } from "./rest.js";
import { PermissionRequestData, SessionEventSchema, SessionUpdateData } from "./events.js";
import { PresenceDataSchema } from "./notify.js";
import { SessionInfoSchema } from "./sessions.js";

/** Every frame, both ways: `{ type, requestId?, sessionId?, seq?, data }`. */
export const EnvelopeSchema = z.object({
  type: z.string().min(1).max(64),
  /** Client-chosen id (at most 128 characters); replies echo it. */
  requestId: z.string().max(128).optional(),
  sessionId: z.string().max(128).optional(),
  seq: z.number().int().optional(),
  data: z.unknown().optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

const empty = z.object({}).strict().optional();

/**
 * Client -> server frames: the `data` schema of each type, and whether `sessionId` is required.
 * Unknown fields inside `data` are refused (BAD_REQUEST), so typos do not pass silently.
 */
export const CLIENT_FRAMES = {
  ping: { data: z.object({}).passthrough().optional(), session: false },
  ask: { data: AskRequestSchema, session: false },
  streamStart: { data: StreamStartRequestSchema, session: false },
  streamSend: { data: StreamSendRequestSchema, session: true },
  streamClose: { data: empty, session: true },
  permission: { data: PermissionAnswerSchema.extend({ permissionId: z.string().min(1).max(128) }).strict(), session: true },
  subscribe: {
    /**
     * `batch: true`: the replay comes in `eventBatch` frames (many events each) instead of one frame per event.
     * `omitStreamEvents: true` (with batch): Claude's raw stream events (claudeEvent, claudeType `stream_event`) are left out of it.
     */
    data: z
      .object({ lastSeq: z.number().int().min(0).optional(), batch: z.boolean().optional(), omitStreamEvents: z.boolean().optional() })
      .strict()
      .refine((d) => !d.omitStreamEvents || d.batch === true, { message: "omitStreamEvents needs batch: true" })
      .optional(),
    session: true,
  },
  unsubscribe: { data: empty, session: true },
  interrupt: { data: empty, session: true },
  sessions: { data: empty, session: false },
  setPermissionMode: { data: SetPermissionModeSchema, session: true },
  setModel: { data: SetModelSchema, session: true },
  /** Page visibility for notifications: `{ visible, sessionId? }`; replies `ack`. */
  presence: { data: PresenceDataSchema, session: false },
} as const satisfies Record<string, { data: z.ZodType; session: boolean }>;
export type ClientFrameType = keyof typeof CLIENT_FRAMES;
export type ClientFrameData<T extends ClientFrameType> = z.infer<(typeof CLIENT_FRAMES)[T]["data"]>;
export const WsSessionIdSchema = SessionIdSchema;

const reply = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), requestId: z.string().nullable().optional(), sessionId: z.string().optional(), data });

export const WelcomeFrameSchema = reply(
  "welcome",
  z.object({
    serverVersion: z.string(),
    protocolVersion: z.number().int(),
    connectionId: z.string(),
    /** The server pings every heartbeatMs; a socket that misses a pong is terminated. */
    heartbeatMs: z.number().int(),
  }),
);
export const PongFrameSchema = reply("pong", z.object({ ts: z.number() }));
export const AskResponseFrameSchema = reply("askResponse", AskResponseSchema);
/** Reply to streamStart: the new session; the connection is subscribed to it. */
export const StreamStartedFrameSchema = reply("streamStarted", SessionInfoSchema);
/** Reply to commands without their own reply (streamSend, streamClose, permission, unsubscribe, interrupt, set*). */
export const AckFrameSchema = reply(
  "ack",
  z.object({
    command: z.string(),
    /** streamSend: the prompt's id and its place in the queue (0 = runs now). */
    promptId: z.string().optional(),
    queuePosition: z.number().int().optional(),
  }),
);
export const SessionsFrameSchema = reply("sessions", z.object({ sessions: z.array(SessionInfoSchema) }));
/** Sent first on subscribe when lastSeq is older than what is retained (gap): rebuild from it. */
export const SessionSnapshotFrameSchema = reply("sessionSnapshot", SessionInfoSchema);
/**
 * Ends the replay of a subscribe: events fromSeq..toSeq were sent (none when fromSeq > toSeq); live events follow.
 * `pendingPermissions` lists every permission request still open, including ones sent before lastSeq.
 */
export const ReplayCompleteFrameSchema = reply(
  "replayComplete",
  z.object({
    fromSeq: z.number().int(),
    toSeq: z.number().int(),
    gap: z.boolean(),
    pendingPermissions: z.array(PermissionRequestData),
  }),
);

/**
 * Part of a replay asked with `subscribe { batch: true }`: the session's events of seq fromSeq..toSeq, in seq order,
 * at most REPLAY_BATCH_BYTES of their JSON per frame. All of them, except those `omitStreamEvents` left out (so
 * `events` may be shorter than the range, even empty): a seq in the range that is not in `events` is no gap.
 * Live events are single frames.
 */
export const EventBatchFrameSchema = reply(
  "eventBatch",
  z.object({ fromSeq: z.number().int().positive(), toSeq: z.number().int().positive(), events: z.array(SessionEventSchema) }),
);
/** Event JSON per `eventBatch` frame, at most (a single larger event is a batch of one). */
export const REPLAY_BATCH_BYTES = 256 * 1024;

/**
 * A session's state change sent to clients NOT subscribed to it, so session lists stay current.
 * It has no `seq`: it is a notice, not a log event, and does not move a client's resume position.
 */
export const SessionNoticeFrameSchema = z.object({
  type: z.literal("sessionNotice"),
  sessionId: z.string(),
  data: SessionUpdateData,
});

/** Server -> client frames that are not session events. */
export const ServerFrameSchema = z.discriminatedUnion("type", [
  WelcomeFrameSchema,
  PongFrameSchema,
  AskResponseFrameSchema,
  StreamStartedFrameSchema,
  AckFrameSchema,
  SessionsFrameSchema,
  SessionSnapshotFrameSchema,
  ReplayCompleteFrameSchema,
  EventBatchFrameSchema,
  SessionNoticeFrameSchema,
  ErrorBodySchema,
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/**
 * With permessage-deflate negotiated, frames shorter than this many bytes are sent uncompressed (per message: the ws
 * library's own threshold applies only without context takeover, which we keep).
 */
export const WS_DEFLATE_THRESHOLD = 256;
/** Largest frame a client may send. Larger frames close the socket with 1009. */
export const WS_MAX_PAYLOAD = 1024 * 1024;
/** A client whose unsent backlog passes this is disconnected with 1013 and resumes by seq. */
export const WS_MAX_BUFFERED = 8 * 1024 * 1024;
