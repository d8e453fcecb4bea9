// Starting a Claude Code child: the execa call, and the error a failed spawn becomes.
import { execa } from "execa";
import { CompanionError } from "../protocol/errors.js";
import { INSTALL_SUGGESTION } from "./detect.js";

export { INSTALL_SUGGESTION };

/** Last stderr characters kept for error details (16 KiB). */
export const STDERR_TAIL_LENGTH = 16 * 1024;

/**
 * Starts the child with exactly `env` (extendEnv:false) and every stdio piped, unbuffered, as the leader of
 * its own process group (detached: setsid), so that the group can be signalled as one and a survivor of a
 * killed daemon can be found and stopped by pid, start time and group.
 */
export function spawnChild(cliPath: string, args: string[], cwd: string, env: Record<string, string>) {
  const child = execa(cliPath, args, {
    cwd,
    env,
    extendEnv: false,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    buffer: false,
    reject: false,
    // execa's cleanup does not apply to a detached child: the exit hook below does its job.
    detached: true,
    // stop() escalates itself (SIGTERM, then SIGKILL on its own schedule).
    forceKillAfterDelay: false,
  });
  const pid = child.pid;
  if (pid !== undefined) {
    liveGroups.add(pid);
    installExitHook();
    void child.finally(() => liveGroups.delete(pid)).catch(() => undefined);
  }
  return child;
}
export type Child = ReturnType<typeof spawnChild>;

// Groups of children still running: if this process exits without stopping them (a crash), they get SIGTERM.
const liveGroups = new Set<number>();
let hooked = false;
function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
  });
}

/** The error for a child that never started (ENOENT, EACCES, …), read from execa's failed result. */
export function spawnFailure(result: unknown, cliPath: string): CompanionError {
  const failed = result as { code?: unknown; originalMessage?: string; message?: string };
  const originalError = failed.originalMessage || failed.message || String(failed.code);
  // The session checks its directory before every spawn (sessions/working-directory.ts), so ENOENT here is the CLI.
  return new CompanionError("CLAUDE_UNAVAILABLE", { path: cliPath }, { originalError, suggestion: INSTALL_SUGGESTION });
}
