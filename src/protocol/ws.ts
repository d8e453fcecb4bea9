// WebSocket frames: the envelope, client -> server frames and server -> client frames.
import { z } from "zod";
import { ErrorBodySchema } from "./common.js";

/** Every frame, both ways: `{ type, requestId?, sessionId?, seq?, data }`. */
export const EnvelopeSchema = z.object({
  type: z.string().min(1).max(64),
  /** Client-chosen id; replies echo it. */
  requestId: z.string().max(128).optional(),
  sessionId: z.string().max(128).optional(),
  seq: z.number().int().optional(),
  data: z.unknown().optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

const clientFrame = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), requestId: z.string().max(128).optional(), sessionId: z.string().max(128).optional(), data }).strict();

/** Client -> server frames; `data` of each is validated by its schema. */
export const ClientFrameSchemas = {
  ping: clientFrame("ping", z.object({}).passthrough().optional()),
} as const;
export type ClientFrameType = keyof typeof ClientFrameSchemas;

export const WelcomeFrameSchema = z.object({
  type: z.literal("welcome"),
  data: z.object({
    serverVersion: z.string(),
    protocolVersion: z.number().int(),
    connectionId: z.string(),
    /** Heartbeat interval of the server in ms. */
    heartbeatMs: z.number().int(),
  }),
});

export const PongFrameSchema = z.object({
  type: z.literal("pong"),
  requestId: z.string().optional(),
  data: z.object({ ts: z.number() }),
});

/** Server -> client frames that are not session events. */
export const ServerFrameSchema = z.discriminatedUnion("type", [WelcomeFrameSchema, PongFrameSchema, ErrorBodySchema]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** WebSocket limits. */
export const WS_MAX_PAYLOAD = 1024 * 1024;
export const WS_PATH = "/ws";
