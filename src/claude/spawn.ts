// Starting a Claude Code child: the cwd check, the execa call, and the error a failed spawn becomes.
import { statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { CompanionError } from "../protocol/errors.js";
import { INSTALL_SUGGESTION } from "./detect.js";

export { INSTALL_SUGGESTION };

/** Last stderr characters kept for error details (16 KiB). */
export const STDERR_TAIL_LENGTH = 16 * 1024;

/** Starts the child with exactly `env` (extendEnv:false) and every stdio piped, unbuffered. */
export function spawnChild(cliPath: string, args: string[], cwd: string, env: Record<string, string>) {
  return execa(cliPath, args, {
    cwd,
    env,
    extendEnv: false,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    buffer: false,
    reject: false,
    cleanup: true,
    // stop() escalates itself (SIGTERM, then SIGKILL on its own schedule).
    forceKillAfterDelay: false,
  });
}
export type Child = ReturnType<typeof spawnChild>;

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

/** The error for a child that never started (ENOENT, EACCES, …), read from execa's failed result. */
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
