// One Claude Code transcript, read-only: its prompts, replies and tool uses; followed every 2 s while a terminal writes it.
import { useEffect, useState } from "preact/hooks";
import type { SessionEvent } from "../../protocol/events.js";
import { fetchHistory, fetchHistoryEvents, knownHistory } from "../history-api.js";
import { continueHere, copyResumeCommand, fork } from "../history-actions.js";
import { fail } from "../store.js";

function Item({ e }: { e: SessionEvent }) {
  if (e.type === "userMessage") return <div class="bubble user">{e.data.text}</div>;
  if (e.type === "streamData" && e.data.kind === "message" && e.data.text) return <div class="bubble assistant">{e.data.text}</div>;
  if (e.type === "streamToolUse" && e.data.phase === "use") return <div class="tool-line mono small">⚙ {e.data.name}</div>;
  if (e.type === "streamToolUse" && e.data.phase === "result") return <div class={`tool-line mono small muted${e.data.isError ? " warn" : ""}`}>{e.data.content.slice(0, 200)}</div>;
  if (e.type === "claudeEvent" && e.data.subtype === "compact_boundary") return <div class="muted small center-text">Conversation compacted</div>;
  return null;
}

export function HistoryView({ token, id, online }: { token: string; id: string; online: boolean }) {
  const [events, setEvents] = useState<SessionEvent[]>([]);
  const [live, setLive] = useState(false);
  const [resumeCommand, setResumeCommand] = useState(knownHistory.get(id)?.resumeCommand);
  useEffect(() => {
    if (!resumeCommand) void fetchHistory(token, "", 500).then(() => setResumeCommand(knownHistory.get(id)?.resumeCommand), () => undefined);
  }, [token, id]);
  useEffect(() => {
    let stop = false;
    let after = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        for (let page = 0; page < 50 && !stop; page++) {
          const r = await fetchHistoryEvents(token, id, after);
          if (stop) return;
          after = r.nextAfter;
          setLive(r.live);
          if (r.events.length) setEvents((old) => [...old, ...r.events.filter((e) => e.seq > (old.at(-1)?.seq ?? 0))]);
          if (!r.hasMore) break;
        }
      } catch (e) {
        if (!stop) fail(e);
      }
      if (!stop) timer = setTimeout(load, 2000);
    };
    void load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [token, id]);
  return (
    <main class="conversation history-view" data-screen="history-session" data-live={String(live)}>
      <p class="muted small">{live ? "A terminal is writing this session now: read-only here, new turns appear as they come." : "A Claude Code session from this computer."}</p>
      <div class="history-actions">
        <button type="button" class="btn primary" disabled={!online} onClick={() => void (live ? fork(id) : continueHere(id))}>
          {live ? "Fork here" : "Continue here"}
        </button>
        {resumeCommand && (
          <button type="button" class="btn" onClick={() => void copyResumeCommand(resumeCommand)}>
            Copy terminal command
          </button>
        )}
      </div>
      {resumeCommand && <code class="mono small resume-command">{resumeCommand}</code>}
      <div class="history-events" aria-label="Transcript">
        {events.map((e) => (
          <Item key={e.seq} e={e} />
        ))}
      </div>
    </main>
  );
}
