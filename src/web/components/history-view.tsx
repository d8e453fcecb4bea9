// One Claude Code transcript, read-only, drawn like a conversation (the same windowed list and items); followed live while a terminal writes it.
import { useEffect, useState } from "preact/hooks";
import { fetchHistory, knownHistory } from "../history-api.js";
import { continueHere, copyResumeCommand, fork } from "../history-actions.js";
import { closeTranscript } from "../commands.js";
import type { SessionView } from "../transcript.js";
import { ItemView } from "./conversation.js";
import { TranscriptList } from "./transcript-list.js";

export function HistoryView({ token, id, online, view }: { token: string; id: string; online: boolean; view: SessionView | undefined }) {
  const [row, setRow] = useState(knownHistory.get(id));
  useEffect(() => {
    // The list row says whether a terminal writes it now, and its resume command.
    void fetchHistory(token, "", 500).then(() => setRow(knownHistory.get(id)), () => undefined);
  }, [token, id]);
  // Leaving the screen stops following the transcript.
  useEffect(() => () => closeTranscript(id), [id]);
  const live = row?.live ?? false;
  const resumeCommand = row?.resumeCommand;
  return (
    <>
      <main class="conversation history-view" data-screen="history-session" data-session-id={id} data-live={String(live)} data-last-seq={view?.cursor.lastSeq ?? ""}>
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
        {view && view.items.length === 0 && <p class="muted center-text">{online ? "Nothing in this transcript yet." : "Loading…"}</p>}
        {view && (
          <TranscriptList key={id} items={view.items} render={(item) => <ItemView key={item.key} item={item} sessionId={id} queued={false} />} />
        )}
      </main>
    </>
  );
}
