// Why a session cannot start (Claude Code failed the same way twice in a row before it took a prompt), as SessionInfo and sessionUpdate carry it.
import { z } from "zod";

export const CannotStartSchema = z.object({
  /** The last non-empty line of what Claude Code printed on stderr (at most 300 characters), else the error's message. */
  reason: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** The last 2 000 characters of Claude Code's stderr, trimmed. */
  stderrTail: z.string(),
  /** Start failures in a row (2 or more). */
  attempts: z.number().int().min(2),
  /** ms since epoch: the failure that made the session unable to start. */
  since: z.number(),
  /** ms since epoch: the latest failed attempt. */
  lastAttemptAt: z.number(),
});
export type CannotStart = z.infer<typeof CannotStartSchema>;
