// What "Always allow" granted a session (SessionInfo.grants) and the revoke route's shapes.
import { z } from "zod";
import { PermissionModeSchema } from "./common.js";

/** At most this many grants are kept per session; a new one beyond it replaces the oldest. */
export const MAX_SESSION_GRANTS = 64;
/** A rule's text (`Bash(<command>)`) is at most this long; a longer suggestion is answered but not kept. */
export const MAX_GRANT_RULE_LENGTH = 4096;

const GrantBase = {
  /** The daemon's id of the grant (UUID), the `:grantId` of its revoke. */
  id: z.string(),
  /** ms since epoch: when the "Always allow" answer was sent. */
  grantedAt: z.number(),
  /** The permission request whose "Always allow" granted it. */
  permissionId: z.string().optional(),
};

/** A tool rule, e.g. Bash `npm test *`: that tool use runs without asking. Next spawns get it in `--allowedTools`. */
export const RuleGrantSchema = z.object({
  ...GrantBase,
  kind: z.literal("rule"),
  toolName: z.string(),
  /** The rule's content (a command, a path pattern); absent: every use of the tool. */
  ruleContent: z.string().optional(),
  /** The rule as Claude Code writes it: `Bash(npm test *)`, or the bare tool name. */
  rule: z.string().max(MAX_GRANT_RULE_LENGTH),
});

/** A directory Claude may read and edit in besides the session's own. Next spawns get `--add-dir <path>`. */
export const DirectoryGrantSchema = z.object({
  ...GrantBase,
  kind: z.literal("directory"),
  /** Absolute path. */
  path: z.string().startsWith("/"),
});

/** A permission mode switched to by "Always allow" (e.g. acceptEdits). Kept while the session stays in that mode. */
export const ModeGrantSchema = z.object({
  ...GrantBase,
  kind: z.literal("mode"),
  mode: PermissionModeSchema,
  /** The mode before; a revoke switches back to it. */
  previousMode: PermissionModeSchema,
});

export const SessionGrantSchema = z.discriminatedUnion("kind", [RuleGrantSchema, DirectoryGrantSchema, ModeGrantSchema]);
export type SessionGrant = z.infer<typeof SessionGrantSchema>;
export type SessionGrantKind = SessionGrant["kind"];

/** The `:grantId` of DELETE /api/sessions/:id/grants/:grantId. */
export const GrantIdSchema = z.uuid({ message: "must be a grant id (a UUID from SessionInfo.grants)" });

/** DELETE /api/sessions/:id/grants/:grantId: what the revoke did. */
export const GrantRevokeResponseSchema = z.object({
  revoked: z.literal(true),
  sessionId: z.string(),
  grantId: z.string(),
  /** The session's grants now. */
  grants: z.array(SessionGrantSchema),
  /**
   * True when the session's Claude process was stopped (a rule or directory: Claude Code cannot drop one from a live
   * process); the next prompt starts it again with `--resume` and the remaining grants.
   */
  restarted: z.boolean(),
});
export type GrantRevokeResponse = z.infer<typeof GrantRevokeResponseSchema>;
