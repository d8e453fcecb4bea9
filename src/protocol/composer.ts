// The composer's routes: a session's slash commands (GET /api/sessions/:id/commands) and file names for `@` (GET /api/files/search).
import { z } from "zod";

/** One slash command or skill as the session's Claude Code reported it. */
export const SlashCommandSchema = z.object({
  /** Without the leading "/": "compact", "x", "sub:deep" (a command file in a subfolder). */
  name: z.string(),
  /** Claude Code's description: a custom command's `description` frontmatter (else its first line) plus " (project)" or " (user)"; may be "". */
  description: z.string(),
  /** The command's `argument-hint`, e.g. "[what]"; "" when it has none. */
  argumentHint: z.string(),
  /** Other names Claude Code accepts for it (e.g. "reset" for "clear"). */
  aliases: z.array(z.string()),
  /** Shipped with Claude Code; false for the user's and the project's own commands and skills. */
  builtin: z.boolean(),
  /**
   * Why this built-in does nothing useful from the phone (Claude Code 2.1.332 under -p stream-json: e.g. `color`,
   * `focus`, `clear`), or null when it works. The web client leaves these out of its `/` list.
   */
  unavailable: z.string().nullable(),
});
export type SlashCommand = z.infer<typeof SlashCommandSchema>;

export const COMMAND_SOURCES = ["claude", "files", "none"] as const;

export const SessionCommandsResponseSchema = z.object({
  sessionId: z.string(),
  /**
   * `claude`: the reply of the session's running Claude Code to `initialize` (built-in, custom commands and skills);
   * `files`: no Claude Code runs for the session now (restored, crashed or closed): its directory's own `.claude/commands`
   * and `.claude/skills` files, read by the daemon (no built-ins, no user-level ones);
   * `none`: no Claude Code runs and the directory has no command files: the list is empty until a prompt starts one.
   */
  source: z.enum(COMMAND_SOURCES),
  commands: z.array(SlashCommandSchema),
});
export type SessionCommandsResponse = z.infer<typeof SessionCommandsResponseSchema>;

/** Most file names one search returns. */
export const MAX_FILE_RESULTS = 200;

export const FileSearchQuerySchema = z
  .object({
    /** The directory to search (a session's working directory); must lie inside the allowed roots, else FORBIDDEN_PATH. */
    dir: z.string().min(1).max(4096),
    /** Case-insensitive text the relative path must contain; "" lists the first files. */
    q: z.string().max(200).default(""),
    /** Most results, 1 to 200 (default 50). */
    limit: z.coerce.number().int().min(1).max(MAX_FILE_RESULTS).default(50),
  })
  .strict();
export type FileSearchQuery = z.infer<typeof FileSearchQuerySchema>;

export const FILE_SEARCH_SOURCES = ["git", "walk"] as const;

export const FileSearchResponseSchema = z.object({
  /** The searched directory, its real path. */
  dir: z.string(),
  /** Paths relative to `dir` with "/" separators, best matches first (name starts with q, name contains q, path contains q; then shorter). */
  files: z.array(z.string()),
  /** `git`: `git ls-files` (tracked and untracked files, .gitignore respected); `walk`: a walk that skips .git, node_modules and what .gitignore files ignore. */
  source: z.enum(FILE_SEARCH_SOURCES),
  /** The scan stopped at its bound (20 000 names or 2 s): matches may be missing. */
  truncated: z.boolean(),
});
export type FileSearchResponse = z.infer<typeof FileSearchResponseSchema>;
