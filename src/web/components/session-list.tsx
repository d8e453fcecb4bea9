// The session list: title, last message, directory, mode, state ("waiting for you" when a request is open, "cannot start"), a badge; "New session".
import type { SessionInfo } from "../../protocol/sessions.js";
import { baseName, relativeTime } from "../format.js";
import { useEffect } from "preact/hooks";
import { refreshList } from "../commands.js";
import { navigate } from "../navigate.js";
import type { SessionView } from "../transcript.js";
import { cannotStartNow } from "./cannot-start.js";

/** Open permission cards: from the live view when this page follows the session, else from the list. */
export function pendingCount(info: SessionInfo, view: SessionView | undefined): number {
  if (!view) return info.pendingPermissions.length;
  return view.items.filter((i) => (i.kind === "permission" || (i.kind === "tool" && i.request)) && !i.resolved).length;
}

const STATE_LABEL: Record<SessionInfo["state"], string> = { created: "starting", active: "working", idle: "idle", closed: "closed" };
export const MODE_LABEL: Record<SessionInfo["permissionMode"], string> = {
  default: "asks first",
  acceptEdits: "accepts edits",
  plan: "plan",
  bypassPermissions: "bypass",
};

/** The state a user should see: a session with an open request is waiting for them, not working. */
export function shownState(info: SessionInfo, pending: number): { key: string; label: string } {
  if (pending > 0 && info.state !== "closed") return { key: "waiting", label: "waiting for you" };
  if (cannotStartNow(info)) return { key: "cannot-start", label: "cannot start" };
  return { key: info.state, label: STATE_LABEL[info.state] };
}

export function SessionList(props: { sessions: SessionInfo[]; views: Record<string, SessionView>; loaded: boolean; online: boolean }) {
  // Badges of sessions this page does not follow change without a state change: refresh now and then.
  useEffect(() => {
    const t = setInterval(() => refreshList(), 10_000);
    return () => clearInterval(t);
  }, []);
  const sorted = [...props.sessions].sort((a, b) => b.lastActivity - a.lastActivity);
  return (
    <main class="list" data-screen="sessions">
      <button type="button" class="btn primary wide" onClick={() => navigate({ name: "new" })} disabled={!props.online}>
        + New session
      </button>
      {!props.loaded && <p class="muted center-text">Loading sessions…</p>}
      {props.loaded && sorted.length === 0 && <p class="muted center-text">No sessions yet. Start one to talk to Claude Code on your computer.</p>}
      <ul class="sessions" aria-label="Sessions">
        {sorted.map((s) => {
          const pending = pendingCount(s, props.views[s.sessionId]);
          const state = shownState(s, pending);
          return (
            <li key={s.sessionId}>
              <a class="session-row" href={`#/s/${s.sessionId}`} data-session-id={s.sessionId} data-state={s.state} data-shown-state={state.key}>
                <span class={`state state-${state.key}`}>{state.label}</span>
                <span class="row-main">
                  <strong class="ellipsis row-title">{s.title ?? "New session"}</strong>
                  {s.lastMessage && s.lastMessage !== s.title && <span class="ellipsis small row-last">{s.lastMessage}</span>}
                  <span class="muted ellipsis small row-meta">
                    <span class="mono" title={s.workingDirectory}>{baseName(s.workingDirectory)}</span> · {MODE_LABEL[s.permissionMode]}
                    {s.model ? ` · ${s.model}` : ""}
                  </span>
                </span>
                <span class="row-side">
                  {pending > 0 && (
                    <span class="badge" aria-label={`${pending} permission request${pending === 1 ? "" : "s"} waiting`}>
                      {pending}
                    </span>
                  )}
                  <time class="muted small" dateTime={new Date(s.lastActivity).toISOString()}>
                    {relativeTime(s.lastActivity)}
                  </time>
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </main>
  );
}
