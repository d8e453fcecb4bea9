// The page: picks the screen from the store (pairing, sessions, new session, conversation).
import { Header } from "./components/header.js";
import { Conversation } from "./components/conversation.js";
import { NewSession } from "./components/new-session.js";
import { PairingScreen } from "./components/pairing-screen.js";
import { SessionList } from "./components/session-list.js";
import { NotifySettings } from "./components/notify-settings.js";
import { HistoryList } from "./components/history-list.js";
import { HistoryView } from "./components/history-view.js";
import { Tabs } from "./components/tabs.js";
import { ChangesScreen } from "./components/changes-screen.js";
import { useState } from "preact/hooks";
import type { SessionInfo } from "../protocol/sessions.js";
import { ModeChip, SessionSheet } from "./components/session-controls.js";
import { cannotStartNow } from "./components/cannot-start.js";
import { baseName, cost } from "./format.js";
import { waitingForYou, type SessionView } from "./transcript.js";
import { loadToken } from "./pairing.js";
import { closeSession } from "./commands.js";
import { forgetPairing } from "./pairing-flow.js";
import type { AppState } from "./reducer.js";
import { navigate } from "./navigate.js";
import { dismissNotice, useAppState } from "./store.js";

function Notice({ notice }: { notice: AppState["notice"] }) {
  if (!notice) return null;
  return (
    <div class={`toast ${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}>
      <span>{notice.text}</span>
      <button type="button" class="icon-btn" aria-label="Dismiss" onClick={dismissNotice}>
        ×
      </button>
    </div>
  );
}

function SessionScreen({ id, info, view, state, online, back }: { id: string; info: SessionInfo | undefined; view: SessionView | undefined; state: AppState; online: boolean; back(): void }) {
  const [sheet, setSheet] = useState(false);
  const waiting = !!view && waitingForYou(view);
  const total = view && view.totalCostUsd > 0 ? cost(view.totalCostUsd) : null;
  const where = info ? baseName(info.workingDirectory) : undefined;
  const subtitle = [waiting ? null : where, total].filter(Boolean).join(" · ");
  return (
    <>
      <Header title={info?.title ?? where ?? "Session"} subtitle={subtitle || undefined} back={back} conn={state.conn} status={waiting ? "waiting for you" : cannotStartNow(info) ? "cannot start" : undefined}>
        {info && <ModeChip info={info} open={sheet} onToggle={() => setSheet(!sheet)} />}
        <a class="icon-btn changes-link" href={`#/s/${id}/changes`} aria-label="Changes" title="Changes">
          ±
        </a>
        {info && info.state !== "closed" && (
          <button
            type="button"
            class="text-btn"
            aria-label="Close session"
            onClick={() => {
              if (confirm("Close this session? Claude Code stops on the computer.")) void closeSession(id);
            }}
          >
            Close
          </button>
        )}
      </Header>
      {sheet && info && <SessionSheet info={info} view={view} online={online} />}
      <Notice notice={state.notice} />
      <Conversation view={view} info={info} online={online} missing={!!state.missing[id]} />
    </>
  );
}

export function App() {
  const s = useAppState();
  if (!s.token) {
    return (
      <>
        <Header title="Claude Companion" />
        <Notice notice={s.notice} />
        <PairingScreen pairing={s.pairing} hasStoredToken={loadToken() !== null} />
      </>
    );
  }
  const online = s.conn === "connected";
  const back = () => navigate({ name: "list" });
  if (s.route.name === "new") {
    return (
      <>
        <Header title="New session" back={back} conn={s.conn} />
        <Notice notice={s.notice} />
        <NewSession online={online} />
      </>
    );
  }
  if (s.route.name === "history" || s.route.name === "historySession") {
    const route = s.route;
    return (
      <>
        <Header title={route.name === "history" ? "History" : "Terminal session"} conn={s.conn} {...(route.name === "historySession" ? { back: () => navigate({ name: "history" }) } : {})} />
        <Notice notice={s.notice} />
        {route.name === "history" && <Tabs current="history" />}
        {route.name === "history" ? <HistoryList token={s.token} online={online} /> : <HistoryView token={s.token} id={route.id} online={online} view={s.views[route.id]} />}
      </>
    );
  }
  if (s.route.name === "changes" || s.route.name === "diff" || s.route.name === "file") {
    return <ChangesScreen route={s.route} state={s} notice={<Notice notice={s.notice} />} />;
  }
  if (s.route.name === "session") {
    const id = s.route.id;
    return <SessionScreen id={id} info={s.sessions[id]} view={s.views[id]} state={s} online={online} back={back} />;
  }
  return (
    <>
      <Header title="Sessions" conn={s.conn} />
      <Notice notice={s.notice} />
      <Tabs current="list" />
      <SessionList sessions={Object.values(s.sessions)} views={s.views} loaded={s.listLoaded} online={online} />
      <NotifySettings token={s.token} />
      <footer class="list-footer">
        <button
          type="button"
          class="text-btn"
          onClick={() => {
            if (confirm("Unpair this phone? The computer stops accepting it; pairing again needs a new QR code.")) void forgetPairing();
          }}
        >
          Unpair this phone
        </button>
      </footer>
    </>
  );
}

