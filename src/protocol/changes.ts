// The Changes view: a session's changed files, one file's diff, and the read-only file viewer (GET bodies and limits).
import { z } from "zod";

/** At most this many changed files are listed (`truncated` beyond). */
export const MAX_CHANGED_FILES = 500;
/** A diff longer than this (bytes of unified diff text) is cut at a line end (`truncated`). */
export const MAX_DIFF_BYTES = 512 * 1024;
/** The file viewer, and each side of a diff computed by the daemon, read at most this many bytes (FILE_TOO_LARGE beyond). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** One git command may run this long (GIT_FAILED beyond). */
export const GIT_TIMEOUT_MS = 10_000;

/** A path query (`?path=`): non-empty, at most 4096 characters. */
export const PathQuerySchema = z.object({ path: z.string().min(1).max(4096) }).strict();

/** `git`: `git status` of the repository holding the session's directory; `tools`: the files Claude's tools wrote in this session. */
export const CHANGE_SOURCES = ["git", "tools"] as const;
export const ChangeSourceSchema = z.enum(CHANGE_SOURCES);

export const CHANGE_STATUSES = ["modified", "added", "deleted", "renamed", "untracked", "conflicted"] as const;

export const ChangedFileSchema = z.object({
  /** Relative to `base` (absolute for a file a tool wrote outside it); the `path` of the diff route. */
  path: z.string(),
  status: z.enum(CHANGE_STATUSES),
  /** The path before a rename (git). */
  oldPath: z.string().optional(),
});
export type ChangedFile = z.infer<typeof ChangedFileSchema>;

/** GET /api/sessions/:id/changes. */
export const ChangesResponseSchema = z.object({
  sessionId: z.string(),
  source: ChangeSourceSchema,
  /** Absolute directory the paths are relative to: the repository's top level (git) or the session's directory (tools). */
  base: z.string(),
  /** The checked-out branch (git), null when detached, not a repository, or no commit yet. */
  branch: z.string().nullable(),
  /** git: sorted as git lists them; tools: by path. At most MAX_CHANGED_FILES. */
  files: z.array(ChangedFileSchema),
  truncated: z.boolean(),
});
export type ChangesResponse = z.infer<typeof ChangesResponseSchema>;

/**
 * What the diff compares the file on disk with: `head` (git: the last commit, or nothing before the first),
 * `nothing` (an untracked or new file), `before` (tools: the content before this session's first write, from
 * Claude's own tool result).
 */
export const DIFF_BASELINES = ["head", "nothing", "before"] as const;

/** GET /api/sessions/:id/diff?path=. */
export const DiffResponseSchema = z.object({
  sessionId: z.string(),
  source: ChangeSourceSchema,
  path: z.string(),
  status: z.enum(CHANGE_STATUSES),
  against: z.enum(DIFF_BASELINES),
  /** A unified diff (`--- a/…`, `+++ b/…`, `@@ -l,n +l,n @@` hunks); empty for a binary file. */
  diff: z.string(),
  /** The file is binary: no text diff is shown. */
  binary: z.boolean(),
  /** The diff was longer than MAX_DIFF_BYTES and was cut at a line end. */
  truncated: z.boolean(),
});
export type DiffResponse = z.infer<typeof DiffResponseSchema>;

/** GET /api/files?path=. */
export const FileResponseSchema = z.object({
  /** The real path (symlinks resolved). */
  path: z.string(),
  size: z.number().int(),
  /** ms since epoch. */
  modifiedAt: z.number(),
  /** Binary (a NUL byte, or not UTF-8): `content` is null. */
  binary: z.boolean(),
  content: z.string().nullable(),
  /** A language name guessed from the file name for highlighting (e.g. "typescript"), or null. */
  language: z.string().nullable(),
});
export type FileResponse = z.infer<typeof FileResponseSchema>;
