// A session's slash commands and skills: what its running Claude Code answered to `initialize`; nothing without a process.
import type { SessionCommandsResponse } from "../protocol/composer.js";
import type { Session } from "./session.js";

/** How long to wait for a process that is still starting (initialize is answered in about a second). */
export const COMMANDS_WAIT_MS = 10_000;

/**
 * The commands of the session's live process (waiting up to `waitMs` for its `initialize` reply), or
 * `source: "none"` with an empty list when no process runs, it failed to start, or it did not answer in time.
 */
export async function listSessionCommands(session: Session, waitMs = COMMANDS_WAIT_MS): Promise<SessionCommandsResponse> {
  const none: SessionCommandsResponse = { sessionId: session.id, source: "none", commands: [] };
  const proc = session.process;
  if (!proc?.alive) return none;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
    timer.unref?.();
  });
  try {
    const info = await Promise.race([proc.ready(), timeout]);
    if (!info?.commands) return none;
    return { sessionId: session.id, source: "claude", commands: info.commands };
  } catch {
    return none;
  } finally {
    clearTimeout(timer);
  }
}
