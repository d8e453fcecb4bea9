// The page's state as a pure fold over what the server sends: (state, frame) -> state. No DOM, no I/O here.
import type { SessionEvent } from "../protocol/events.js";
import { nextHeadline } from "../protocol/headline.js";
import type { SessionInfo } from "../protocol/sessions.js";
import type { ServerFrame } from "../protocol/ws.js";
import type { Route } from "./routes.js";
import { replayDone, sequence } from "./seq.js";
import { applyEvents, emptyView, viewFromSnapshot, withPendingPermissions, type SessionView, type StreamComplete } from "./transcript.js";

export type ConnState = "connecting" | "connected" | "reconnecting" | "offline";

/** Everything the server sends on the WebSocket. */
export type Frame = ServerFrame | SessionEvent;

export type PairingStatus =
  | { status: "none" }
  | { status: "pairing" }
  | { status: "failed"; code: string; message: string }
  /** The daemon refused the stored token (revoked, or the daemon was reset). */
  | { status: "revoked" };

export interface Notice {
  text: string;
  tone: "info" | "error";
}

export interface AppState {
  token: string | null;
  pairing: PairingStatus;
  conn: ConnState;
  sessions: Record<string, SessionInfo>;
  listLoaded: boolean;
  views: Record<string, SessionView>;
  /** Sessions the server does not know (SESSION_NOT_FOUND on subscribe). */
  missing: Record<string, true>;
  /** The last result of sessions rebuilt from a snapshot, shown when their replay brings none. */
  snapshotResults: Record<string, StreamComplete>;
  route: Route;
  /** A short message about the last command (queued, failed, already answered). */
  notice: Notice | null;
}

export const initialState: AppState = {
  token: null,
  pairing: { status: "none" },
  conn: "connecting",
  sessions: {},
  listLoaded: false,
  views: {},
  missing: {},
  snapshotResults: {},
  route: { name: "list" },
  notice: null,
};

const withView = (state: AppState, view: SessionView): AppState => ({ ...state, views: { ...state.views, [view.sessionId]: view } });
const withInfo = (state: AppState, info: SessionInfo): AppState => ({ ...state, sessions: { ...state.sessions, [info.sessionId]: info } });

/** The session list as the server sent it (a full replacement). */
export const withSessions = (state: AppState, list: SessionInfo[]): AppState => ({
  ...state,
  sessions: Object.fromEntries(list.map((s) => [s.sessionId, s])),
  listLoaded: true,
});

export function reduce(state: AppState, frame: Frame): AppState {
  switch (frame.type) {
    case "sessions":
      return withSessions(state, frame.data.sessions);
    case "streamStarted": {
      const info = frame.data;
      const next = withInfo(state, info);
      // A History transcript's view is numbered as the transcript: the session it became starts a view of its own.
      const kept = next.views[info.sessionId];
      return kept && !kept.transcript ? next : withView(next, emptyView(info.sessionId, info.state));
    }
    case "sessionSnapshot": {
      const info = frame.data;
      const snapshotResults = { ...state.snapshotResults };
      if (info.lastResult) snapshotResults[info.sessionId] = info.lastResult;
      else delete snapshotResults[info.sessionId];
      return withView({ ...withInfo(state, info), snapshotResults }, viewFromSnapshot(info));
    }
    case "replayComplete": {
      const id = frame.sessionId;
      const view = id ? state.views[id] : undefined;
      if (!id || !view) return state;
      let next = withPendingPermissions({ ...view, cursor: replayDone(view.cursor) }, frame.data.pendingPermissions);
      const { [id]: snapResult, ...snapshotResults } = state.snapshotResults;
      if (snapResult && !next.items.some((i) => i.kind === "result")) {
        next = { ...next, items: [...next.items, { kind: "result", key: "snapshot-result", seq: 0, data: snapResult }] };
      }
      return withView({ ...state, snapshotResults }, next);
    }
    case "sessionNotice": {
      // A state change of a session this connection does not follow (no seq: it does not move any cursor;
      // no time either: the list refresh that follows brings lastActivity and the badges).
      const info = state.sessions[frame.sessionId];
      if (!info) return state;
      const d = frame.data;
      return withInfo(state, {
        ...info,
        state: d.state,
        queueLength: d.queueLength,
        ...(d.permissionMode ? { permissionMode: d.permissionMode } : {}),
      });
    }
    case "error":
      // Errors of requests are shown by whoever sent them; others (no requestId) are shown here.
      return frame.requestId ? state : { ...state, notice: { text: frame.data.message || "The computer reported an error.", tone: "error" } };
    case "eventBatch":
      return frame.sessionId ? reduceBatch(state, frame.sessionId, frame.data) : state;
    case "welcome":
    case "pong":
    case "askResponse":
    case "ack":
      return state;
    default:
      return reduceEvents(state, frame.sessionId, [frame]);
  }
}

type EventBatch = Extract<ServerFrame, { type: "eventBatch" }>["data"];

/**
 * A replay's batch: the events of seq fromSeq..toSeq, in order, some possibly left out by the server (they would
 * change nothing here). One starting after the next seq is a gap; the seqs it covers count as applied.
 */
function reduceBatch(state: AppState, sessionId: string, batch: EventBatch): AppState {
  const view = state.views[sessionId];
  if (!view) return state;
  const last = view.cursor.lastSeq;
  if (last !== null && batch.fromSeq > last + 1) {
    return view.cursor.resyncing ? state : withView(state, { ...view, cursor: { lastSeq: last, resyncing: true } });
  }
  if (last !== null && batch.toSeq <= last) return state;
  const apply = last === null ? batch.events : batch.events.filter((e) => e.seq > last);
  const covered = last === null ? batch.toSeq - batch.fromSeq + 1 : batch.toSeq - last;
  const cursor = { lastSeq: batch.toSeq, resyncing: view.cursor.resyncing };
  const next = withView(state, { ...applyEvents(view, apply), applied: view.applied + covered, cursor });
  let info = state.sessions[sessionId];
  if (!info) return next;
  for (const ev of apply) info = patchInfo(info, ev);
  return withInfo(next, { ...info, lastSeq: Math.max(info.lastSeq, batch.toSeq) });
}

/** Events of one session in arrival order: each is sequenced, the ones to apply are applied in one step. */
function reduceEvents(state: AppState, sessionId: string, events: readonly SessionEvent[]): AppState {
  const view = state.views[sessionId];
  // Events come only for subscribed sessions; one without a view is a leftover of an earlier page state.
  if (!view) return state;
  let cursor = view.cursor;
  const apply: SessionEvent[] = [];
  for (const ev of events) {
    const r = sequence(cursor, ev.seq);
    cursor = r.cursor;
    if (r.action === "apply") apply.push(ev);
  }
  if (cursor === view.cursor) return state;
  const next = withView(state, { ...applyEvents(view, apply), cursor });
  let info = state.sessions[sessionId];
  if (!info || apply.length === 0) return next;
  for (const ev of apply) info = patchInfo(info, ev);
  return withInfo(next, info);
}

/** The list row of a session, kept current by the events of the open session. */
export function patchInfo(info: SessionInfo, ev: SessionEvent): SessionInfo {
  const next: SessionInfo = { ...info, lastActivity: Math.max(info.lastActivity, ev.ts), lastSeq: Math.max(info.lastSeq, ev.seq) };
  switch (ev.type) {
    case "sessionUpdate":
      next.state = ev.data.state;
      next.queueLength = ev.data.queueLength;
      if (ev.data.permissionMode) next.permissionMode = ev.data.permissionMode;
      if (ev.data.model) next.model = ev.data.model;
      // Every sessionUpdate says whether the session cannot start (present) or can (absent).
      if (ev.data.cannotStart) next.cannotStart = ev.data.cannotStart;
      else delete next.cannotStart;
      if (ev.data.grants) next.grants = ev.data.grants;
      break;
    case "permissionRequest":
      if (!info.pendingPermissions.some((p) => p.permissionId === ev.data.permissionId)) {
        next.pendingPermissions = [...info.pendingPermissions, ev.data];
      }
      break;
    case "permissionResolved":
      next.pendingPermissions = info.pendingPermissions.filter((p) => p.permissionId !== ev.data.permissionId);
      break;
    case "streamComplete":
      next.lastResult = ev.data;
      break;
    case "userMessage":
    case "streamData": {
      // The title and last message as the daemon folds them, so the header has the title before a list refresh.
      const h = nextHeadline(info, ev);
      if (h.title !== undefined) next.title = h.title;
      if (h.lastMessage !== undefined) next.lastMessage = h.lastMessage;
      break;
    }
  }
  return next;
}

/**
 * What the page must do after a frame besides showing it: resubscribe a session whose events have a
 * gap (from the last seq applied; its replay fills the gap), or refresh the list (a notice lacks the badges).
 */
export type FollowUp = { kind: "resubscribe"; sessionId: string; lastSeq: number } | { kind: "refreshList" } | null;

export function followUp(before: AppState, after: AppState, frame: Frame): FollowUp {
  switch (frame.type) {
    case "sessionNotice":
      return { kind: "refreshList" };
    case "sessions":
    case "streamStarted":
    case "sessionSnapshot":
    case "replayComplete":
    case "error":
    case "welcome":
    case "pong":
    case "askResponse":
    case "ack":
      return null;
    default: {
      // A session event, or a batch of them: a gap among them resubscribes once.
      const id = frame.sessionId;
      if (!id) return null;
      const was = before.views[id]?.cursor;
      const now = after.views[id]?.cursor;
      if (was && now && !was.resyncing && now.resyncing) return { kind: "resubscribe", sessionId: id, lastSeq: now.lastSeq ?? 0 };
      // Handed to a terminal while open: subscribing again from here follows the terminal (the daemon numbers its
      // turns on after the closing notice), so the earlier items stay and the new ones come as it writes them.
      if (frame.type === "sessionUpdate" && now && !before.views[id]?.terminal && after.views[id]?.terminal) {
        return { kind: "resubscribe", sessionId: id, lastSeq: now.lastSeq ?? 0 };
      }
      return null;
    }
  }
}
