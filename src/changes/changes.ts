// createChanges: a session's changed files (git status, else the files its tools wrote), one file's diff, and the file viewer. No HTTP.
import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import {
  GIT_TIMEOUT_MS,
  MAX_CHANGED_FILES,
  MAX_DIFF_BYTES,
  MAX_FILE_BYTES,
  type ChangedFile,
  type ChangesResponse,
  type DiffResponse,
  type FileResponse,
} from "../protocol/changes.js";
import { CompanionError } from "../protocol/errors.js";
import type { SessionEvent } from "../protocol/events.js";
import { gitBranch, gitHasHead, gitTopLevel, parsePorcelain, runGit, type GitLimits } from "./git.js";
import { languageOf, readBoundedFile } from "./read-file.js";
import { textDiff, truncateDiff } from "./text-diff.js";
import { toolWrites, type ToolWrite } from "./tool-writes.js";

export interface ChangesLimits {
  maxFiles: number;
  maxDiffBytes: number;
  maxFileBytes: number;
  gitTimeoutMs: number;
}

export const DEFAULT_CHANGES_LIMITS: ChangesLimits = { maxFiles: MAX_CHANGED_FILES, maxDiffBytes: MAX_DIFF_BYTES, maxFileBytes: MAX_FILE_BYTES, gitTimeoutMs: GIT_TIMEOUT_MS };

/** What the room needs of a session. */
export interface ChangedSession {
  id: string;
  workingDirectory: string;
  /** The session's events (those the daemon still holds). */
  events(): Iterable<SessionEvent>;
}

export interface ChangesOptions {
  /** The one path check: the real path of an existing `path` inside the allowed roots, else FORBIDDEN_PATH. */
  resolvePath(path: string): string;
  /**
   * Never read, even inside the roots (FORBIDDEN_PATH): the paths every session's tools are denied too (the
   * companion's config directory with the master token and devices, the sessions directory, Claude Code's credentials).
   */
  protectedPaths?: { directories: readonly string[]; files: readonly string[] };
  limits?: Partial<ChangesLimits>;
}

export interface Changes {
  list(session: ChangedSession): Promise<ChangesResponse>;
  /** CHANGE_NOT_FOUND unless `path` is one of list()'s paths. */
  diff(session: ChangedSession, path: string): Promise<DiffResponse>;
  /** `path` must be absolute (BAD_REQUEST) and pass resolvePath. */
  file(path: string): Promise<FileResponse>;
}

// git's empty tree: what a repository before its first commit is compared with.
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const DIFF_ARGS = ["diff", "--no-color", "--no-ext-diff", "--no-textconv"];

const within = (child: string, dir: string) => {
  const rel = relative(dir, child);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes("..");
};

type Listing = { response: ChangesResponse; writes: Map<string, ToolWrite> | null };

export function createChanges(options: ChangesOptions): Changes {
  const limits = { ...DEFAULT_CHANGES_LIMITS, ...options.limits };
  const git = (maxOutput: number): GitLimits => ({ timeoutMs: limits.gitTimeoutMs, maxOutput });
  const guarded = options.protectedPaths ?? { directories: [], files: [] };
  /** resolvePath, then the protected paths refused. */
  const readable = (path: string, shownAs: string): string => {
    const real = options.resolvePath(path);
    if (guarded.files.includes(real) || guarded.directories.some((dir) => real === dir || within(real, dir))) {
      throw new CompanionError("FORBIDDEN_PATH", { path: shownAs, reason: "it is the companion's own configuration or Claude Code's credentials" });
    }
    return real;
  };

  const listing = async (session: ChangedSession): Promise<Listing> => {
    const dir = session.workingDirectory;
    const top = await gitTopLevel(dir, git(64 * 1024));
    if (top) {
      // `-- .`: the session's directory only; the paths git prints are relative to the top level.
      const status = await runGit(dir, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."], git(limits.maxFiles * 512));
      const all = parsePorcelain(status.stdout);
      const files = all.slice(0, limits.maxFiles);
      const branch = await gitBranch(top, git(4096));
      return { response: { sessionId: session.id, source: "git", base: top, branch, files, truncated: status.truncated || all.length > files.length }, writes: null };
    }
    const writes = toolWrites(session.events(), (p) => resolve(dir, p));
    const all: ChangedFile[] = [...writes.values()].map((w) => ({
      path: within(w.path, dir) ? relative(dir, w.path) : w.path,
      status: !existsSync(w.path) ? "deleted" : w.created ? "added" : "modified",
    }));
    all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const files = all.slice(0, limits.maxFiles);
    return { response: { sessionId: session.id, source: "tools", base: dir, branch: null, files, truncated: all.length > files.length }, writes };
  };

  type Diffed = { text: string; truncated: boolean; against: DiffResponse["against"]; binary: boolean };
  const isBinaryDiff = (text: string) => /^(Binary files .* differ|GIT binary patch)$/m.test(text);

  const gitDiff = async (base: string, f: ChangedFile): Promise<Diffed> => {
    if (f.status === "untracked") {
      // Against /dev/null; a symlink is shown as its target's name, never followed.
      const r = await runGit(base, [...DIFF_ARGS, "--no-index", "--", "/dev/null", f.path], git(limits.maxDiffBytes), [0, 1]);
      return { text: r.stdout, truncated: r.truncated, against: "nothing", binary: isBinaryDiff(r.stdout) };
    }
    const ref = (await gitHasHead(base, git(4096))) ? "HEAD" : EMPTY_TREE;
    const paths = f.oldPath ? [f.path, f.oldPath] : [f.path];
    const r = await runGit(base, [...DIFF_ARGS, "-M", ref, "--", ...paths], git(limits.maxDiffBytes));
    return { text: r.stdout, truncated: r.truncated, against: "head", binary: isBinaryDiff(r.stdout) };
  };

  const toolDiff = async (f: ChangedFile, w: ToolWrite): Promise<Diffed> => {
    let current: { binary: boolean; text: string | null } = { binary: false, text: "" };
    if (f.status !== "deleted") current = await readBoundedFile(readable(w.path, f.path), limits.maxFileBytes, f.path);
    const against: DiffResponse["against"] = w.before === null || w.created ? "nothing" : "before";
    if (current.binary) return { text: "", truncated: false, against, binary: true };
    const text = await textDiff(f.path, w.before ?? "", current.text ?? "", f.status);
    return { text, truncated: false, against, binary: false };
  };

  return {
    async list(session) {
      return (await listing(session)).response;
    },

    async diff(session, path) {
      const { response, writes } = await listing(session);
      const f = response.files.find((x) => x.path === path);
      if (!f) throw new CompanionError("CHANGE_NOT_FOUND", { path, sessionId: session.id });
      const r = writes ? await toolDiff(f, writes.get(resolve(session.workingDirectory, path))!) : await gitDiff(response.base, f);
      const cut = truncateDiff(r.binary ? "" : r.text, limits.maxDiffBytes);
      return {
        sessionId: session.id,
        source: response.source,
        path,
        status: f.status,
        against: r.against,
        diff: cut.text,
        binary: r.binary,
        truncated: r.truncated || cut.truncated,
      };
    },

    async file(path) {
      if (!isAbsolute(path)) throw new CompanionError("BAD_REQUEST", { reason: "path must be an absolute path" }, { path });
      const real = readable(path, path);
      const r = await readBoundedFile(real, limits.maxFileBytes, path);
      return { path: real, size: r.size, modifiedAt: r.modifiedAt, binary: r.binary, content: r.text, language: languageOf(real) };
    },
  };
}
