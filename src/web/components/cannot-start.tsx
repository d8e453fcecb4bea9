// "Cannot start": the daemon's SessionInfo.cannotStart above the composer: Claude Code's reason, what it printed, and what to do.
import type { SessionInfo } from "../../protocol/sessions.js";
import { relativeTime } from "../format.js";

type CannotStart = NonNullable<SessionInfo["cannotStart"]>;

/** The daemon says Claude cannot start, and no turn is running (a prompt is trying again) nor is the session closed. */
export function cannotStartNow(info: SessionInfo | undefined): CannotStart | undefined {
  if (!info?.cannotStart || info.state === "active" || info.state === "closed") return undefined;
  return info.cannotStart;
}

/** What the user can do about it, for the reasons Claude Code 2.1.332 is known to give, else in general. */
export function adviceFor(c: CannotStart, mode: SessionInfo["permissionMode"]): string {
  const text = `${c.reason}\n${c.stderrTail}`;
  if (/cannot be used with root\/sudo/.test(text)) {
    return mode === "bypassPermissions"
      ? "Claude Code refuses bypass mode while the daemon runs as root. Pick another mode with the mode button above, then send a prompt: it tries again. (Or run the daemon as a normal user, or with IS_SANDBOX=1 if this computer is a sandbox.)"
      : "Claude Code refuses to skip permissions while the daemon runs as root. Run the daemon as a normal user (or with IS_SANDBOX=1 if this computer is a sandbox), then send a prompt: it tries again.";
  }
  if (/No conversation found/.test(text)) {
    return "Claude Code no longer has this conversation (its transcript was deleted or is in another config directory). Start a new session in this folder.";
  }
  return "Fix what Claude Code says above on the computer, then send a prompt: the daemon tries again (once per prompt).";
}

export function CannotStartPanel({ info }: { info: SessionInfo | undefined }) {
  const c = cannotStartNow(info);
  if (!c || !info) return null;
  const exit = c.signal ? `signal ${c.signal}` : `exit code ${String(c.exitCode)}`;
  return (
    <section class="cannot-start" role="alert" aria-label="Claude Code cannot start" data-cannot-start="true">
      <p>
        <strong>Claude Code cannot start in this session.</strong> It exited before taking a prompt {c.attempts} times in a row, the last{" "}
        {relativeTime(c.lastAttemptAt)} with {exit}:
      </p>
      <p class="cannot-start-reason mono">{c.reason}</p>
      {c.stderrTail && c.stderrTail !== c.reason && (
        <details>
          <summary>What Claude Code printed</summary>
          <pre class="out err">
            <code>{c.stderrTail}</code>
          </pre>
        </details>
      )}
      <p class="cannot-start-advice">{adviceFor(c, info.permissionMode)}</p>
    </section>
  );
}
