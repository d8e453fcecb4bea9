// Session descriptions as clients see them (list, details, snapshots).
import { z } from "zod";
import { PermissionModeSchema, SessionStateSchema } from "./common.js";
import { PermissionRequestData, StreamCompleteData } from "./events.js";

export const SessionInfoSchema = z.object({
  sessionId: z.string(),
  state: SessionStateSchema,
  workingDirectory: z.string(),
  permissionMode: PermissionModeSchema,
  model: z.string().optional(),
  /** ms since epoch. */
  createdAt: z.number(),
  lastActivity: z.number(),
  /** User prompts sent in this session. */
  messageCount: z.number().int(),
  queueLength: z.number().int(),
  /** Highest seq in the session log. */
  lastSeq: z.number().int(),
  pendingPermissions: z.array(PermissionRequestData),
  /** Process stats of the session's Claude process; null when no process runs. */
  process: z
    .object({ pid: z.number().int(), cpu: z.number(), rssBytes: z.number() })
    .nullable(),
  lastResult: StreamCompleteData.nullable(),
  /** The first line of the session's first prompt (at most 80 characters); absent before any prompt. */
  title: z.string().optional(),
  /** The first line of the last prompt or answer (at most 120 characters). */
  lastMessage: z.string().optional(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
