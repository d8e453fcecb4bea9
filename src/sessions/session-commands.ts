// A session's slash commands and skills: what its running Claude Code answered to `initialize`, else its directory's command files.
import type { SessionCommandsResponse } from "../protocol/composer.js";
import { readCommandFiles } from "./command-files.js";
import type { Session } from "./session.js";

/** How long to wait for a process that is still starting (initialize is answered in about a second). */
export const COMMANDS_WAIT_MS = 10_000;

/**
 * The commands of the session's live process (waiting up to `waitMs` for its `initialize` reply). When no
 * process runs (or it failed to start, or did not answer in time): the directory's own command files
 * (`source: "files"`, no built-ins), else `source: "none"` with an empty list.
 */
export async function listSessionCommands(session: Session, waitMs = COMMANDS_WAIT_MS): Promise<SessionCommandsResponse> {
  const fromFiles = (): SessionCommandsResponse => {
    const commands = readCommandFiles(session.workingDirectory);
    return { sessionId: session.id, source: commands.length > 0 ? "files" : "none", commands };
  };
  const proc = session.process;
  if (!proc?.alive) return fromFiles();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
    timer.unref?.();
  });
  try {
    const info = await Promise.race([proc.ready(), timeout]);
    if (!info?.commands) return fromFiles();
    return { sessionId: session.id, source: "claude", commands: info.commands };
  } catch {
    return fromFiles();
  } finally {
    clearTimeout(timer);
  }
}
