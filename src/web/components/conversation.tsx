// One session: the transcript (bubbles, tool and permission cards, result lines) and, below it, the composer (composer.tsx) or the Resume bar.
import type { SessionInfo } from "../../protocol/sessions.js";
import { cost, duration } from "../format.js";
import { resumeSession } from "../commands.js";
import { isRunning, queuedPrompts, waitingForYou, type Item, type SessionView } from "../transcript.js";
import { CannotStartPanel } from "./cannot-start.js";
import { Composer } from "./composer.js";
import { Markdown } from "./markdown-view.js";
import { memo } from "./memo.js";
import { MessageMenu } from "./message-menu.js";
import { PermissionCard } from "./permission-card.js";
import { ToolCard } from "./tool-card.js";
import { TodoPanel } from "./todo-panel.js";
import { TranscriptList } from "./transcript-list.js";
import { HandoffNotice, TerminalBar } from "./terminal-follow.js";

const FAILURE_WORDS: Record<string, string> = {
  error_max_turns: "Stopped: the turn limit was reached",
  error_max_budget_usd: "Stopped: the budget was reached",
  error_during_execution: "Failed",
};

function ResultLine({ item }: { item: Extract<Item, { kind: "result" }> }) {
  const d = item.data;
  const interrupted = d.terminalReason === "aborted_streaming" || d.terminalReason === "aborted_tools" || d.subtype === "interrupted";
  const parts = [
    d.durationMs !== undefined ? duration(d.durationMs) : null,
    item.turnCostUsd !== undefined ? cost(item.turnCostUsd) : null,
    d.numTurns !== undefined ? `${d.numTurns} turn${d.numTurns === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  // A failed turn's reason is in the error block above it: the line does not say it again.
  const label = interrupted ? "Interrupted" : d.isError ? (FAILURE_WORDS[d.subtype] ?? "Failed") : "Done";
  return (
    <p class={`result${d.isError ? " err" : ""}`} data-kind="result" data-seq={item.seq}>
      <span>{label}</span>
      {parts.length > 0 && <span class="muted"> · {parts.join(" · ")}</span>}
    </p>
  );
}

export const ItemView = memo(function ItemView({ item, sessionId, queued }: { item: Item; sessionId: string; queued: boolean }) {
  switch (item.kind) {
    case "user":
      return (
        <div class="bubble user" data-kind="user" data-seq={item.seq}>
          <MessageMenu text={item.text}>
            <p class="plain">{item.text}</p>
            {item.images > 0 && <p class="muted small">{item.images} image{item.images === 1 ? "" : "s"}</p>}
            {queued && <span class="tag">queued</span>}
          </MessageMenu>
        </div>
      );
    case "assistant":
      return (
        <div class={`bubble assistant${item.done ? "" : " streaming"}`} data-kind="assistant" data-seq={item.seq} aria-busy={!item.done}>
          <MessageMenu text={item.text}>
            <Markdown text={item.text} />
            {item.aborted && <span class="tag">interrupted</span>}
          </MessageMenu>
        </div>
      );
    case "tool":
      return <ToolCard item={item} sessionId={sessionId} />;
    case "permission":
      return <PermissionCard item={item} sessionId={sessionId} />;
    case "result":
      return <ResultLine item={item} />;
    case "error":
      return (
        <div class="error-line" role="alert" data-kind="error" data-seq={item.seq} data-code={item.code}>
          {item.again && <p><strong>Claude Code cannot start in this session.</strong> It failed the same way twice; the reason is below.</p>}
          <p>
            <strong>{item.code}</strong> {item.message}
          </p>
          {item.stderrTail && (
            <pre class="out err" aria-label="What Claude Code printed">
              <code>{item.stderrTail}</code>
            </pre>
          )}
        </div>
      );
    case "notice":
      if (item.handoff) return <HandoffNotice sessionId={sessionId} seq={item.seq} text={item.text} />;
      return (
        <p class="notice muted small" data-kind="notice" data-seq={item.seq}>
          {item.text}
        </p>
      );
  }
});

export function Conversation({ view, info, online, missing }: { view: SessionView | undefined; info: SessionInfo | undefined; online: boolean; missing: boolean }) {
  if (missing) {
    return (
      <main class="center" data-screen="conversation">
        <p>This session no longer exists on the computer.</p>
      </main>
    );
  }
  if (!view) return <main class="center" data-screen="conversation" />;
  const queued = queuedPrompts(view);
  const running = isRunning(view);
  const waiting = waitingForYou(view);
  const state = view.state ?? info?.state;
  return (
    <>
      <main
        class="conversation"
        data-screen="conversation"
        data-session-id={view.sessionId}
        data-last-seq={view.cursor.lastSeq ?? ""}
        data-applied={view.applied}
        data-state={state ?? ""}
      >
        {view.items.length === 0 && <p class="muted center-text">{online ? "No messages yet. Send a prompt to start." : "Loading…"}</p>}
        <TodoPanel items={view.items} />
        <TranscriptList
          key={view.sessionId}
          items={view.items}
          render={(item) => <ItemView key={item.key} item={item} sessionId={view.sessionId} queued={item.kind === "user" && queued.has(item.promptId)} />}
        />
        {running && waiting && (
          <p class="working waiting small" aria-live="polite" data-waiting="true">
            Waiting for you: answer Claude's request above{queued.size > 0 ? ` · ${queued.size} queued` : ""}
          </p>
        )}
        {running && !waiting && (
          <p class="working muted small" aria-live="polite">
            <span class="spinner small" aria-hidden="true" /> Claude is working{queued.size > 0 ? ` · ${queued.size} queued` : ""}
          </p>
        )}
      </main>
      {state === "closed" && view.terminal ? (
        <TerminalBar sessionId={view.sessionId} info={info} online={online} />
      ) : state === "closed" ? (
        <div class="composer closed-bar">
          <span class="muted">This session is closed.</span>
          <button type="button" class="btn primary" disabled={!online} onClick={() => void resumeSession(view.sessionId)}>
            Resume
          </button>
        </div>
      ) : (
        <>
          <CannotStartPanel info={info} />
          <Composer key={view.sessionId} sessionId={view.sessionId} online={online} running={running} workingDirectory={info?.workingDirectory} />
        </>
      )}
    </>
  );
}
