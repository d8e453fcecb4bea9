// git for the Changes view: one bounded, read-only command at a time (execa, no shell, timeout, output cap); status parsing.
import { CompanionError } from "../protocol/errors.js";
import type { ChangedFile } from "../protocol/changes.js";

export interface GitLimits {
  timeoutMs: number;
  /** Characters of stdout kept; the command is stopped beyond and the output is marked truncated. */
  maxOutput: number;
}

export interface GitOutput {
  stdout: string;
  exitCode: number;
  truncated: boolean;
}

// Read-only and inert whatever the repository's config says: no fsmonitor or external diff/textconv
// programs run, no optional locks are taken (the user's own git in that repository is never blocked),
// no pager, no prompt for credentials.
const SAFE_ARGS = ["-c", "core.fsmonitor=false", "-c", "core.quotePath=false", "-c", "diff.external=", "--no-pager"];
const SAFE_ENV = { GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" };

/** Runs `git <args>` in `cwd`. Exit codes in `okCodes` are results; any other, a timeout or no git at all is GIT_FAILED. */
export async function runGit(cwd: string, args: readonly string[], limits: GitLimits, okCodes: readonly number[] = [0]): Promise<GitOutput> {
  const { execa } = await import("execa"); // lazily: not on the daemon's start-up path
  const r = await execa("git", [...SAFE_ARGS, ...args], {
    cwd,
    env: SAFE_ENV,
    stdin: "ignore",
    reject: false,
    timeout: limits.timeoutMs,
    maxBuffer: limits.maxOutput,
    forceKillAfterDelay: 1000,
    stripFinalNewline: false,
  });
  const command = args.find((a) => !a.startsWith("-")) ?? "";
  if (r.isMaxBuffer) return { stdout: String(r.stdout ?? ""), exitCode: 0, truncated: true };
  if (r.timedOut) throw new CompanionError("GIT_FAILED", { command, directory: cwd, reason: `it took longer than ${limits.timeoutMs} ms` });
  if (r.exitCode === undefined) throw new CompanionError("GIT_FAILED", { command, directory: cwd, reason: "git could not be run (is it installed?)" }, { missing: true });
  if (!okCodes.includes(r.exitCode)) {
    const reason = String(r.stderr ?? "").trim().split("\n")[0] || `exit code ${r.exitCode}`;
    throw new CompanionError("GIT_FAILED", { command, directory: cwd, reason });
  }
  return { stdout: String(r.stdout ?? ""), exitCode: r.exitCode, truncated: false };
}

/** The repository's top level holding `dir`, or null when `dir` is not in a repository or git is not installed. */
export async function gitTopLevel(dir: string, limits: GitLimits): Promise<string | null> {
  try {
    // 128: not a repository (or one git refuses, e.g. owned by another user: then there is nothing to show either).
    const r = await runGit(dir, ["rev-parse", "--show-toplevel"], limits, [0, 128]);
    return r.exitCode === 0 ? r.stdout.trim() || null : null;
  } catch (e) {
    if (e instanceof CompanionError && e.details.missing === true) return null;
    throw e;
  }
}

/** The checked-out branch, or null (detached HEAD or no commit yet). */
export async function gitBranch(root: string, limits: GitLimits): Promise<string | null> {
  const r = await runGit(root, ["symbolic-ref", "--quiet", "--short", "HEAD"], limits, [0, 1, 128]);
  return r.exitCode === 0 ? r.stdout.trim() || null : null;
}

/** Whether HEAD names a commit (false in a repository before its first commit). */
export async function gitHasHead(root: string, limits: GitLimits): Promise<boolean> {
  const r = await runGit(root, ["rev-parse", "--verify", "--quiet", "HEAD"], limits, [0, 1, 128]);
  return r.exitCode === 0;
}

function statusOf(xy: string): ChangedFile["status"] {
  const [x, y] = [xy[0] ?? " ", xy[1] ?? " "];
  if (xy === "??") return "untracked";
  if (x === "U" || y === "U" || xy === "AA" || xy === "DD") return "conflicted";
  if (x === "R" || y === "R" || x === "C") return "renamed";
  if (x === "D" || y === "D") return "deleted";
  if (x === "A") return "added";
  return "modified";
}

/**
 * Parses `git status --porcelain=v1 -z` (paths relative to the top level). A rename is `XY new\0old\0`.
 * A cut-off last entry (truncated output) is dropped.
 */
export function parsePorcelain(out: string): ChangedFile[] {
  const parts = out.split("\0");
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4 || entry[2] !== " ") continue;
    const xy = entry.slice(0, 2);
    const path = entry.slice(3);
    const status = statusOf(xy);
    if (xy[0] === "R" || xy[0] === "C") {
      const oldPath = parts[++i];
      if (oldPath === undefined || (i === parts.length - 1 && !out.endsWith("\0"))) break;
      files.push({ path, status, oldPath });
    } else {
      if (i === parts.length - 1 && !out.endsWith("\0")) break;
      files.push({ path, status });
    }
  }
  return files;
}
