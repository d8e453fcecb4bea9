// Starting a Claude Code child: the cwd check, the spawn, and the error a failed spawn becomes.
// Node's child_process, not execa: execa's module graph cost ~100 ms of every `start`, and we use none of its extras.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { CompanionError } from "../protocol/errors.js";
import { INSTALL_SUGGESTION } from "./detect.js";

/** Last stderr characters kept for error details (16 KiB). */
export const STDERR_TAIL_LENGTH = 16 * 1024;
export { INSTALL_SUGGESTION };

/** How a child ended: exit code or signal, or (never started) the spawn error's code and message. */
export interface ChildResult {
  exitCode?: number;
  signal?: NodeJS.Signals;
  code?: string;
  originalMessage?: string;
}

export interface Child extends ChildProcessWithoutNullStreams {
  /** Resolves once the child has exited and its stdio closed; never rejects. */
  readonly result: Promise<ChildResult>;
}

// Children still running when this process exits are killed with it (what execa's `cleanup` did).
const live = new Set<Child>();
let exitHook = false;
function killLiveChildren(): void {
  for (const child of live) child.kill("SIGTERM");
}

/** Starts the child with exactly `env` and every stdio piped. */
export function spawnChild(cliPath: string, args: string[], cwd: string, env: Record<string, string>): Child {
  const child = spawn(cliPath, args, { cwd, env, stdio: "pipe" }) as ChildProcessWithoutNullStreams & { result: Promise<ChildResult> };
  child.result = new Promise<ChildResult>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    // 'error' is a failed spawn (or a failed kill); 'close' always follows a failed spawn or an exit.
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) spawnError = error;
    });
    child.once("close", (code, signal) => {
      live.delete(child);
      if (spawnError) resolve({ ...(spawnError.code !== undefined && { code: spawnError.code }), originalMessage: spawnError.message });
      else resolve({ ...(code !== null && { exitCode: code }), ...(signal !== null && { signal }) });
    });
  });
  // A pipe error (EPIPE after the child died) must not become an uncaught 'error' event; the exit reports it.
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream.on("error", () => undefined);
  if (child.pid !== undefined) {
    live.add(child);
    if (!exitHook) {
      exitHook = true;
      process.once("exit", killLiveChildren);
    }
  }
  return child;
}

/** Throws FORBIDDEN_PATH unless `cwd` is an absolute path to an existing directory. */
export function assertWorkingDirectory(cwd: string): void {
  // Node reports a missing cwd as ENOENT naming the binary, which reads like a missing CLI.
  if (!path.isAbsolute(cwd)) throw new CompanionError("FORBIDDEN_PATH", { path: cwd, reason: "is not an absolute path" });
  let isDir: boolean;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    throw new CompanionError("FORBIDDEN_PATH", { path: cwd, reason: "does not exist" });
  }
  if (!isDir) throw new CompanionError("FORBIDDEN_PATH", { path: cwd, reason: "is not a directory" });
}

/** The error for a child that never started (ENOENT, EACCES, …), read from its result. */
export function spawnFailure(result: unknown, cliPath: string, cwd: string): CompanionError {
  const failed = result as { code?: unknown; originalMessage?: string; message?: string };
  const originalError = failed.originalMessage || failed.message || String(failed.code);
  // The cwd was checked before spawn, but it may have vanished since; ENOENT would then blame the CLI.
  try {
    assertWorkingDirectory(cwd);
  } catch (error) {
    return error as CompanionError;
  }
  return new CompanionError("CLAUDE_UNAVAILABLE", { path: cliPath }, { originalError, suggestion: INSTALL_SUGGESTION });
}
