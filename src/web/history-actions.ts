// The History tab's and the hand-over's actions: continue a session on the phone (resume), fork it while a terminal writes it, copy its terminal command.
import type { PermissionMode } from "../protocol/common.js";
import { command } from "./commands.js";
import { copyText } from "./copy.js";
import { navigate } from "./navigate.js";
import { inform } from "./store.js";

/** streamStart { resume }: runs in the session's recorded directory. A terminal writing it is offered a fork instead. */
export async function continueHere(sessionId: string): Promise<void> {
  let owned = false;
  const reply = await command("streamStart", { resume: sessionId }, undefined, (e) => {
    if (e.code !== "TERMINAL_OWNS_SESSION") return false;
    owned = true;
    return true;
  });
  if (reply?.type === "streamStarted") return navigate({ name: "session", id: reply.data.sessionId });
  if (owned && confirm("Claude Code in a terminal is writing this session now. Fork it here (a copy with a new id; the terminal's session stays as it is)?")) {
    await fork(sessionId);
  }
}

export async function fork(sessionId: string): Promise<void> {
  const reply = await command("streamStart", { resume: sessionId, fork: true });
  if (reply?.type === "streamStarted") navigate({ name: "session", id: reply.data.sessionId });
}

export async function copyResumeCommand(text: string): Promise<void> {
  inform((await copyText(text)) ? "Copied. Paste it in a terminal on the computer." : text);
}

/**
 * "Resume here" on a session handed to a terminal: the daemon imports the terminal's turns and starts it again.
 * While the terminal still runs it, that is said (a fork is the way on now).
 */
export async function resumeHere(sessionId: string, permissionMode?: PermissionMode): Promise<void> {
  await command("streamStart", { resume: sessionId, ...(permissionMode ? { permissionMode } : {}) }, undefined, (e) => {
    if (e.code !== "TERMINAL_OWNS_SESSION") return false;
    inform("Claude Code in the terminal still runs this session: resume it here once it ends there, or fork it now.");
    return true;
  });
}
