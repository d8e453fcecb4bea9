// Session descriptions as clients see them (list, details, snapshots).
import { z } from "zod";
import { CannotStartSchema } from "./cannot-start.js";
import { PermissionModeSchema, SessionStateSchema } from "./common.js";
import { PermissionRequestData, StreamCompleteData } from "./events.js";
import { SessionGrantSchema } from "./grants.js";

/** One process of a session's tree (not Claude itself). */
export const SessionProcessSchema = z.object({
  pid: z.number().int(),
  /** Its command line, trimmed to 200 characters. */
  command: z.string(),
  /** CPU % at the last sample (100 = one core). */
  cpu: z.number(),
  rssBytes: z.number(),
  /** ms since epoch. */
  startedAt: z.number(),
  /** It left Claude's kernel session or parentage (setsid, a double fork): found by the session's environment marker. */
  detached: z.boolean(),
});
export type SessionProcess = z.infer<typeof SessionProcessSchema>;

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
  /**
   * What "Always allow" answers granted this session and it still holds, oldest first: tool rules, directories, a
   * mode. Kept by the daemon (in the session's meta file, so across daemon restarts) and given again to every new
   * Claude process of the session; revoked with DELETE /api/sessions/:id/grants/:grantId.
   */
  grants: z.array(SessionGrantSchema),
  /** Process stats of the session's Claude process and of its process tree; null when no Claude process runs. */
  process: z
    .object({
      pid: z.number().int(),
      /** CPU % of the Claude process alone (100 = one core). */
      cpu: z.number(),
      rssBytes: z.number(),
      /** CPU % of the whole tree: Claude and every process it started (tool commands, background jobs). */
      treeCpu: z.number(),
      /** RSS of the whole tree in bytes (what SESSION_MEMORY_LIMIT_MB limits). */
      treeRssBytes: z.number(),
      /** Processes in the tree, Claude included. */
      processCount: z.number().int(),
      /** Children running for 5 s or more (Claude excluded), at the last sample. */
      children: z.array(SessionProcessSchema),
    })
    .nullable(),
  lastResult: StreamCompleteData.nullable(),
  /** The first line of the session's first prompt (at most 80 characters); absent before any prompt. */
  title: z.string().optional(),
  /** The first line of the last prompt or answer (at most 120 characters). */
  lastMessage: z.string().optional(),
  /** Present while Claude Code cannot start in this session (it failed the same way twice in a row before taking a prompt). */
  cannotStart: CannotStartSchema.optional(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
