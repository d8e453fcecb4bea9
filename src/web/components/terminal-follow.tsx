// A conversation a terminal took over: the "Continued in the terminal" notice (with its resume command) and the bar with Resume here / Fork.
import { resumeCommand } from "../../protocol/resume-command.js";
import type { SessionInfo } from "../../protocol/sessions.js";
import { fork, resumeHere } from "../history-actions.js";
import { getState } from "../store.js";
import { CopyButton } from "./copy-button.js";

const commandOf = (sessionId: string): string => resumeCommand(getState().sessions[sessionId]?.workingDirectory ?? ".", sessionId);

/** The closing notice of a hand-over: what follows it is the terminal's. */
export function HandoffNotice({ sessionId, seq, text }: { sessionId: string; seq: number; text: string }) {
  const command = commandOf(sessionId);
  return (
    <div class="notice handoff" data-kind="notice" data-handoff="true" data-seq={seq}>
      <p class="small">
        <strong>{text}</strong>
        <span class="muted"> · what it does next appears below as it writes it.</span>
      </p>
      <code class="mono small resume-command">{command}</code>
      <CopyButton text={() => commandOf(sessionId)} label="Copy command" what="the terminal command" />
    </div>
  );
}

/** In place of the composer: read-only while the terminal has it; resume it here (its turns stay) or fork it. */
export function TerminalBar({ sessionId, info, online }: { sessionId: string; info: SessionInfo | undefined; online: boolean }) {
  return (
    <div class="composer closed-bar terminal-bar" data-terminal="true">
      <span class="muted small">Continued in the terminal: read-only here.</span>
      <button type="button" class="btn primary" disabled={!online} onClick={() => void resumeHere(sessionId, info?.permissionMode)}>
        Resume here
      </button>
      <button type="button" class="btn" disabled={!online} onClick={() => void fork(sessionId)}>
        Fork
      </button>
    </div>
  );
}
