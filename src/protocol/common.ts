// Shared value schemas of the wire protocol: ids, modes, states, the error body. Imports nothing from src/ but constants.ts.
import { z } from "zod";
import { PERMISSION_MODES } from "./constants.js";

/** Version of the wire protocol described in docs/PROTOCOL.md. Bumped on breaking changes. */
export const PROTOCOL_VERSION = 1;

export { PERMISSION_MODES };
export const PermissionModeSchema = z.enum(PERMISSION_MODES);
export type PermissionMode = z.infer<typeof PermissionModeSchema>;

/** Session states (the state machine lives in src/sessions/). */
export const SESSION_STATES = ["created", "active", "idle", "closed"] as const;
export const SessionStateSchema = z.enum(SESSION_STATES);
export type SessionState = z.infer<typeof SessionStateSchema>;

export const SessionIdSchema = z.uuid({ message: "must be a UUID" });

/** Permission decisions a client can send. */
export const DECISIONS = ["allow", "allowAlways", "deny"] as const;
export const DecisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof DecisionSchema>;

/** The error body, identical on REST and WebSocket. */
export const ErrorBodySchema = z.object({
  type: z.literal("error"),
  requestId: z.string().nullable().optional(),
  sessionId: z.string().optional(),
  data: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const UsageSchema = z
  .object({
    input_tokens: z.number().optional(),
    output_tokens: z.number().optional(),
    cache_creation_input_tokens: z.number().optional(),
    cache_read_input_tokens: z.number().optional(),
  })
  .passthrough();
export type Usage = z.infer<typeof UsageSchema>;
