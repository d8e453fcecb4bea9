// The History tab: every Claude Code session on the computer (terminal ones too), searchable, each with Open, Continue here and Copy.
import { useEffect, useState } from "preact/hooks";
import { fetchHistory, type HistorySession } from "../history-api.js";
import { continueHere, copyResumeCommand } from "../history-actions.js";
import { baseName, relativeTime } from "../format.js";
import { fail } from "../store.js";

export function HistoryList({ token, online }: { token: string; online: boolean }) {
  const [q, setQ] = useState("");
  const [rows, setRows] = useState<HistorySession[] | null>(null);
  useEffect(() => {
    let stop = false;
    const load = () =>
      fetchHistory(token, q).then(
        (r) => !stop && setRows(r.sessions),
        (e: unknown) => !stop && fail(e),
      );
    const t = setTimeout(load, q ? 250 : 0);
    // Live badges change while a terminal works: refresh now and then.
    const every = setInterval(load, 10_000);
    return () => {
      stop = true;
      clearTimeout(t);
      clearInterval(every);
    };
  }, [token, q]);
  return (
    <main class="list" data-screen="history">
      <input class="search" type="search" placeholder="Search titles and prompts" aria-label="Search history" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      {rows === null && <p class="muted center-text">Loading history…</p>}
      {rows?.length === 0 && <p class="muted center-text">No Claude Code sessions found in the allowed directories.</p>}
      <ul class="sessions" aria-label="History">
        {rows?.map((s) => (
          <li key={s.sessionId} class="history-row" data-session-id={s.sessionId} data-live={String(s.live)}>
            <a class="session-row" href={`#/h/${s.sessionId}`}>
              <span class={`state state-${s.live ? "active" : "idle"}`}>{s.live ? "live in a terminal" : s.companion ? "companion" : "terminal"}</span>
              <span class="row-main">
                <strong class="ellipsis row-title">{s.title}</strong>
                <span class="muted ellipsis small row-meta">
                  <span class="mono" title={s.workingDirectory}>{baseName(s.workingDirectory)}</span>
                  {s.gitBranch ? ` · ${s.gitBranch}` : ""} · {s.messageCount} prompt{s.messageCount === 1 ? "" : "s"}
                </span>
              </span>
              <span class="row-side">
                <time class="muted small" dateTime={new Date(s.lastActivity).toISOString()}>
                  {relativeTime(s.lastActivity)}
                </time>
              </span>
            </a>
            <div class="history-actions">
              <button type="button" class="btn" disabled={!online} onClick={() => void continueHere(s.sessionId)}>
                {s.live ? "Fork here" : "Continue here"}
              </button>
              <button type="button" class="btn" aria-label={`Copy: ${s.resumeCommand}`} onClick={() => void copyResumeCommand(s.resumeCommand)}>
                Copy terminal command
              </button>
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
