// GET /api/directories: the subdirectories a session may work in, for the phone's directory picker.
import { z } from "zod";

/** `path` absent: the allowed roots themselves. */
export const DirectoriesQuerySchema = z.object({ path: z.string().min(1).max(4096).optional() }).strict();

export const DirectoryEntrySchema = z.object({
  name: z.string(),
  /** Absolute real path: usable as `workingDirectory` of streamStart. */
  path: z.string(),
  /** It has a `.git` entry (a repository or a worktree). */
  git: z.boolean(),
  /** ms since epoch of the directory's last change. */
  modifiedAt: z.number(),
});

export const DirectoryListResponseSchema = z.object({
  /** The allowed roots (ALLOWED_ROOTS / --root). */
  roots: z.array(z.string()),
  /** The listed directory; null when the roots are listed. */
  path: z.string().nullable(),
  /** The directory above `path` when it is still inside a root, else null. */
  parent: z.string().nullable(),
  /** Subdirectories, most recently changed first; hidden ones (".name") left out; at most 500. */
  directories: z.array(DirectoryEntrySchema),
  /** More than 500 subdirectories: the rest were left out. */
  truncated: z.boolean(),
});
export type DirectoryListResponse = z.infer<typeof DirectoryListResponseSchema>;
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;
