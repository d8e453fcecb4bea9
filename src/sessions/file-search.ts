// File names inside a session's directory for the composer's `@`: `git ls-files` in a repository, else a bounded walk. No contents are read.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileSearchQuery, FileSearchResponse } from "../protocol/composer.js";
import { isIgnored, parseGitignore, type GitignoreRule } from "./gitignore.js";
import { resolveWorkingDirectory } from "./working-directory.js";

/** Most names one search looks at. */
export const MAX_SCANNED_FILES = 20_000;
/** Longest a search may take, in ms (git or the walk). */
export const FILE_SEARCH_TIME_MS = 2000;
const SKIPPED_DIRS = new Set([".git", "node_modules"]);

/** The bounds of one search (tests make them small). */
export interface FileSearchBounds {
  maxFiles: number;
  timeMs: number;
}
const DEFAULT_BOUNDS: FileSearchBounds = { maxFiles: MAX_SCANNED_FILES, timeMs: FILE_SEARCH_TIME_MS };

interface Scan {
  files: string[];
  truncated: boolean;
}

/** `git ls-files` of tracked and untracked, not ignored files; null when `dir` is not in a repository (or git is missing). */
function gitFiles(dir: string, deadline: number, maxFiles: number): Promise<Scan | null> {
  return new Promise((resolve) => {
    const child = spawn("git", ["-C", dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const files = new Set<string>();
    let rest = "";
    let truncated = false;
    const stop = () => {
      truncated = true;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(stop, Math.max(1, deadline - Date.now()));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (truncated) return;
      const parts = (rest + chunk).split("\0");
      rest = parts.pop() ?? "";
      for (const p of parts) {
        if (p) files.add(p); // an unmerged file is listed once per stage
        if (files.size >= maxFiles) return stop();
      }
    });
    child.on("error", () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      // Stopped before any name came: whether this is a repository is unknown, so the (bounded) walk answers.
      resolve(code === 0 || (truncated && files.size > 0) ? { files: [...files], truncated } : null);
    });
  });
}

/** Breadth first, no symlinked directories, .git / node_modules / .gitignore'd paths skipped. */
function walkFiles(dir: string, deadline: number, maxFiles: number): Scan {
  const files: string[] = [];
  const queue: { rel: string; rules: GitignoreRule[] }[] = [{ rel: "", rules: [] }];
  while (queue.length > 0) {
    if (files.length >= maxFiles || Date.now() > deadline) return { files, truncated: true };
    const { rel, rules: inherited } = queue.shift()!;
    const abs = rel === "" ? dir : join(dir, rel);
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      continue; // unreadable: nothing to offer inside
    }
    let rules = inherited;
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      try {
        rules = [...inherited, ...parseGitignore(readFileSync(join(abs, ".gitignore"), "utf8"), rel)];
      } catch {
        // unreadable .gitignore: the parent's rules still apply
      }
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !isIgnored(rules, path, true)) queue.push({ rel: path, rules });
      } else if ((e.isFile() || e.isSymbolicLink()) && !isIgnored(rules, path, false)) {
        files.push(path);
        if (files.length >= maxFiles) return { files, truncated: true };
      }
    }
  }
  return { files, truncated: false };
}

/** Best first: the name starts with q, the name contains q, the path contains q; then shorter paths, then by name. */
export function rankFiles(files: readonly string[], q: string, limit: number): string[] {
  const needle = q.toLowerCase();
  const scored: { path: string; score: number }[] = [];
  for (const path of files) {
    const lower = path.toLowerCase();
    const name = lower.slice(lower.lastIndexOf("/") + 1);
    const score = name.startsWith(needle) ? 0 : name.includes(needle) ? 1 : lower.includes(needle) ? 2 : -1;
    if (score >= 0) scored.push({ path, score });
  }
  scored.sort((a, b) => a.score - b.score || a.path.length - b.path.length || a.path.localeCompare(b.path));
  return scored.slice(0, limit).map((s) => s.path);
}

/** FORBIDDEN_PATH when `dir` is missing, not a directory or outside the roots. */
export async function searchFiles(roots: readonly string[], query: FileSearchQuery, bounds: FileSearchBounds = DEFAULT_BOUNDS): Promise<FileSearchResponse> {
  const dir = resolveWorkingDirectory(query.dir, roots, "/");
  const deadline = Date.now() + bounds.timeMs;
  const git = await gitFiles(dir, deadline, bounds.maxFiles);
  const scan = git ?? walkFiles(dir, deadline, bounds.maxFiles);
  return { dir, files: rankFiles(scan.files, query.q, query.limit), source: git ? "git" : "walk", truncated: scan.truncated };
}
