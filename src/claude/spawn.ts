// Starting a Claude Code child: the execa call, and the error a failed spawn becomes.
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

/** The error for a child that never started (ENOENT, EACCES, …), read from execa's failed result. */
export function spawnFailure(result: unknown, cliPath: string): CompanionError {
  const failed = result as { code?: unknown; originalMessage?: string; message?: string };
  const originalError = failed.originalMessage || failed.message || String(failed.code);
  // The session checks its directory before every spawn (sessions/working-directory.ts), so ENOENT here is the CLI.
  return new CompanionError("CLAUDE_UNAVAILABLE", { path: cliPath }, { originalError, suggestion: INSTALL_SUGGESTION });
}
