// Claude Code sessions found on disk (terminal ones too): the history list, its query and its events page.
import { z } from "zod";
import { SessionEventSchema } from "./events.js";

/** GET /api/history query. */
export const HistoryQuerySchema = z
  .object({
    /** Sessions per page, 1–500 (default 50). */
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(512).optional(),
    /** Case-insensitive text searched in titles and prompts (1–200 characters). */
    q: z.string().min(1).max(200).optional(),
  })
  .strict();
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

export const HistorySessionSchema = z.object({
  sessionId: z.string(),
  /** The session's own title (/rename), else its summary, else its first prompt (one line, ≤ 120 characters). */
  title: z.string(),
  /** The directory recorded in the transcript (its first record's `cwd`). */
  workingDirectory: z.string(),
  gitBranch: z.string().nullable(),
  /** ms since epoch of the newest record. */
  lastActivity: z.number(),
  /** Prompts the user typed (tool results and injected text are not counted). */
  messageCount: z.number().int(),
  /** A Claude Code process other than the daemon's is writing this transcript now (read-only here). */
  live: z.boolean(),
  /** The session is also one of the daemon's own (listed once, here and in GET /api/sessions). */
  companion: z.boolean(),
  /** The shell command that continues it in a terminal: `cd <dir> && claude --resume <id>`. */
  resumeCommand: z.string(),
});
export type HistorySession = z.infer<typeof HistorySessionSchema>;

export const HistoryListResponseSchema = z.object({
  sessions: z.array(HistorySessionSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type HistoryListResponse = z.infer<typeof HistoryListResponseSchema>;

/** GET /api/history/:id/events. */
export const HistoryEventsResponseSchema = z.object({
  sessionId: z.string(),
  /** Highest seq read so far (the transcript up to its last complete line). */
  lastSeq: z.number().int(),
  nextAfter: z.number().int(),
  hasMore: z.boolean(),
  live: z.boolean(),
  events: z.array(SessionEventSchema),
});
