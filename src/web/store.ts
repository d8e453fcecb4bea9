// The page's one state store: pairing, connection, session list, session views; frames in, commands out.
import { useEffect, useReducer } from "preact/hooks";
import type { Decision, PermissionMode } from "../protocol/common.js";
import type { SessionEvent, SessionEventData } from "../protocol/events.js";
import type { SessionInfo } from "../protocol/sessions.js";
import { ApiError, fetchSessions, pairDevice, tokenWorks } from "./api.js";
import { createConnection, RequestError, wsUrlFor, type Connection, type ConnState, type InboundFrame } from "./connection.js";
import { replayDone, sequence } from "./seq.js";
import { deviceNameFor, forgetToken, loadToken, parseFragment, rememberDir, saveToken } from "./pairing.js";
import { applyEvent, emptyView, viewFromSnapshot, withPendingPermissions, type PermissionRequest, type SessionView } from "./transcript.js";

export type Route = { name: "list" } | { name: "new" } | { name: "session"; id: string };

export type PairingStatus =
  | { status: "none" }
  | { status: "pairing" }
  | { status: "failed"; code: string; message: string }
  /** The daemon refused the stored token (revoked, or the daemon was reset). */
  | { status: "revoked" };

export interface AppState {
  token: string | null;
  pairing: PairingStatus;
  conn: ConnState;
  sessions: Record<string, SessionInfo>;
  listLoaded: boolean;
  views: Record<string, SessionView>;
  /** Sessions the server does not know (SESSION_NOT_FOUND on subscribe). */
  missing: Record<string, true>;
  route: Route;
  /** A short message about the last command (queued, failed, already answered). */
  notice: { text: string; tone: "info" | "error" } | null;
}

let state: AppState = {
  token: null,
  pairing: { status: "none" },
  conn: "connecting",
  sessions: {},
  listLoaded: false,
  views: {},
  missing: {},
  route: { name: "list" },
  notice: null,
};

const listeners = new Set<() => void>();
let scheduled = false;

/** Renders are batched: a replay of thousands of events paints once per frame. */
function notify(): void {
  if (scheduled) return;
  scheduled = true;
  const flush = () => {
    if (!scheduled) return;
    scheduled = false;
    for (const l of listeners) l();
  };
  if (typeof requestAnimationFrame === "function" && document.visibilityState === "visible") requestAnimationFrame(flush);
  setTimeout(flush, 50);
}

function set(patch: Partial<AppState>): void {
  state = { ...state, ...patch };
  notify();
}

export const getState = (): AppState => state;

export function useAppState(): AppState {
  const [, force] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    listeners.add(force as () => void);
    return () => void listeners.delete(force as () => void);
  }, []);
  return state;
}

// ---- routing --------------------------------------------------------------------------------

export function parseRoute(hash: string): Route {
  const m = /^#\/s\/([A-Za-z0-9-]{1,128})$/.exec(hash);
  if (m) return { name: "session", id: m[1]! };
  if (hash === "#/new") return { name: "new" };
  return { name: "list" };
}

export function navigate(route: Route): void {
  const hash = route.name === "session" ? `#/s/${route.id}` : route.name === "new" ? "#/new" : "#/";
  if (location.hash !== hash) location.hash = hash;
  else onRoute();
}

function onRoute(): void {
  const route = parseRoute(location.hash);
  set({ route, notice: null });
  if (route.name === "session") openSession(route.id);
  if (route.name === "list") refreshList();
}

// ---- connection -----------------------------------------------------------------------------

let conn: Connection | null = null;

function connect(token: string): void {
  conn?.stop();
  set({ token, pairing: { status: "none" } });
  conn = createConnection({
    url: wsUrlFor(location),
    token,
    onFrame,
    onState: (s) => set({ conn: s }),
    onReady,
    onUnauthorized: unpair,
    checkToken: () => tokenWorks(token),
  });
  conn.start();
  // The list also comes over REST so the first screen does not wait for the socket.
  fetchSessions(token).then(
    (list) => {
      if (!state.listLoaded) setSessions(list);
    },
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) unpair();
    },
  );
}

function unpair(): void {
  conn?.stop();
  conn = null;
  forgetToken();
  set({ token: null, pairing: { status: "revoked" }, conn: "offline", views: {}, sessions: {}, listLoaded: false });
}

function onReady(): void {
  refreshList();
  // Resume every open session after the last event this page applied: the server replays the rest.
  for (const view of Object.values(state.views)) subscribe(view.sessionId, view.cursor.lastSeq ?? 0);
}

function subscribe(sessionId: string, lastSeq: number): void {
  conn?.request("subscribe", { lastSeq }, sessionId).catch((e: unknown) => {
    if (e instanceof RequestError && e.code === "SESSION_NOT_FOUND") set({ missing: { ...state.missing, [sessionId]: true } });
  });
}

let listTimer: ReturnType<typeof setTimeout> | undefined;
/** Asks for the session list (debounced); pending-permission badges of sessions not open come from it. */
export function refreshList(delayMs = 0): void {
  clearTimeout(listTimer);
  listTimer = setTimeout(() => void conn?.request("sessions", undefined).catch(() => undefined), delayMs);
}

function setSessions(list: SessionInfo[]): void {
  set({ sessions: Object.fromEntries(list.map((s) => [s.sessionId, s])), listLoaded: true });
}

function setView(view: SessionView): void {
  set({ views: { ...state.views, [view.sessionId]: view } });
}

function onFrame(f: InboundFrame): void {
  switch (f.type) {
    case "sessions":
      return setSessions((f.data as { sessions: SessionInfo[] }).sessions);
    case "streamStarted": {
      const info = f.data as SessionInfo;
      set({ sessions: { ...state.sessions, [info.sessionId]: info } });
      if (!state.views[info.sessionId]) setView(emptyView(info.sessionId, info.state));
      return;
    }
    case "sessionSnapshot": {
      const info = f.data as SessionInfo;
      set({ sessions: { ...state.sessions, [info.sessionId]: info } });
      snapshots.set(info.sessionId, info);
      return setView(viewFromSnapshot(info));
    }
    case "replayComplete": {
      const id = f.sessionId;
      const view = id ? state.views[id] : undefined;
      if (!id || !view) return;
      const data = f.data as { pendingPermissions?: PermissionRequest[] };
      let next = withPendingPermissions({ ...view, cursor: replayDone(view.cursor) }, data.pendingPermissions ?? []);
      const snap = snapshots.get(id);
      snapshots.delete(id);
      if (snap?.lastResult && !next.items.some((i) => i.kind === "result")) {
        next = { ...next, items: [...next.items, { kind: "result", key: "snapshot-result", seq: 0, data: snap.lastResult }] };
      }
      return setView(next);
    }
    case "sessionNotice": {
      // A state change of a session this connection does not follow (no seq: it does not move any cursor).
      const id = f.sessionId;
      const info = id ? state.sessions[id] : undefined;
      if (!id || !info) return refreshList(300);
      const d = f.data as SessionEventData<"sessionUpdate">;
      set({ sessions: { ...state.sessions, [id]: { ...info, state: d.state, queueLength: d.queueLength, lastActivity: Date.now(), ...(d.permissionMode ? { permissionMode: d.permissionMode } : {}) } } });
      // Pending-permission badges are not in the notice: the list brings them.
      return refreshList(300);
    }
    case "error":
      // Errors of requests are shown by whoever sent them; others (no requestId) are shown here.
      if (!f.requestId) set({ notice: { text: (f.data as { message?: string })?.message ?? "The computer reported an error.", tone: "error" } });
      return;
    default:
      if (typeof f.seq === "number" && typeof f.sessionId === "string") onEvent(f as unknown as SessionEvent);
  }
}

/** Snapshots waiting for their replayComplete (which adds the last result when the replay had none). */
const snapshots = new Map<string, SessionInfo>();

function onEvent(ev: SessionEvent): void {
  const view = state.views[ev.sessionId];
  // Events come only for subscribed sessions; one without a view is a leftover of an earlier page state.
  if (!view) return;
  const { action, cursor } = sequence(view.cursor, ev.seq);
  if (action === "duplicate" || action === "drop") return;
  if (action === "gap") {
    setView({ ...view, cursor });
    subscribe(ev.sessionId, cursor.lastSeq ?? 0);
    return;
  }
  setView({ ...applyEvent(view, ev), cursor });
  const info = state.sessions[ev.sessionId];
  if (info) set({ sessions: { ...state.sessions, [ev.sessionId]: patchInfo(info, ev) } });
}

function patchInfo(info: SessionInfo, ev: SessionEvent): SessionInfo {
  const next: SessionInfo = { ...info, lastActivity: Math.max(info.lastActivity, ev.ts ?? 0), lastSeq: Math.max(info.lastSeq, ev.seq) };
  switch (ev.type) {
    case "sessionUpdate":
      next.state = ev.data.state;
      next.queueLength = ev.data.queueLength;
      if (ev.data.permissionMode) next.permissionMode = ev.data.permissionMode;
      if (ev.data.model) next.model = ev.data.model;
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
  }
  return next;
}

// ---- commands -------------------------------------------------------------------------------

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** An informational line that goes away by itself after 5 s (errors stay until dismissed). */
function inform(text: string): void {
  const notice = { text, tone: "info" as const };
  set({ notice });
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    if (state.notice === notice) set({ notice: null });
  }, 5000);
}

function fail(e: unknown): void {
  set({ notice: { text: e instanceof Error ? e.message : "Something went wrong.", tone: "error" } });
}

export function dismissNotice(): void {
  set({ notice: null });
}

function openSession(id: string): void {
  if (state.views[id]) return;
  setView(emptyView(id, state.sessions[id]?.state));
  if (state.conn === "connected") subscribe(id, 0);
}

export async function startSession(input: { workingDirectory: string; permissionMode: PermissionMode }): Promise<boolean> {
  if (!conn) return false;
  const dir = input.workingDirectory.trim();
  try {
    const reply = await conn.request("streamStart", {
      ...(dir ? { workingDirectory: dir } : {}),
      permissionMode: input.permissionMode,
    });
    if (dir) rememberDir(dir);
    navigate({ name: "session", id: (reply.data as SessionInfo).sessionId });
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}

/** Resolves true when the server took the prompt (the text box may be cleared). */
export async function sendPrompt(sessionId: string, prompt: string): Promise<boolean> {
  if (!conn || !prompt.trim()) return false;
  try {
    const ack = await conn.request("streamSend", { prompt }, sessionId);
    const pos = (ack.data as { queuePosition?: number }).queuePosition ?? 0;
    if (pos > 0) inform(`Queued: ${pos} prompt${pos === 1 ? "" : "s"} ahead of it run first.`);
    else if (state.notice?.tone === "info") set({ notice: null });
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}

export async function answerPermission(
  sessionId: string,
  permissionId: string,
  decision: Decision,
  extra: { message?: string; updatedInput?: Record<string, unknown> } = {},
): Promise<void> {
  if (!conn) return;
  try {
    await conn.request("permission", { permissionId, decision, ...extra }, sessionId);
  } catch (e) {
    if (e instanceof RequestError && e.code === "PERMISSION_NOT_PENDING") {
      inform("This request was already answered elsewhere.");
    } else fail(e);
  }
}

export async function interrupt(sessionId: string): Promise<void> {
  try {
    await conn?.request("interrupt", undefined, sessionId);
  } catch (e) {
    fail(e);
  }
}

/** Starts a closed session again: same id, same log (seq continues), Claude resumes the conversation. */
export async function resumeSession(sessionId: string): Promise<void> {
  const info = state.sessions[sessionId];
  try {
    await conn?.request("streamStart", {
      resume: sessionId,
      ...(info ? { workingDirectory: info.workingDirectory, permissionMode: info.permissionMode } : {}),
    });
  } catch (e) {
    fail(e);
  }
}

export async function closeSession(sessionId: string): Promise<void> {
  try {
    await conn?.request("streamClose", undefined, sessionId);
  } catch (e) {
    fail(e);
  }
}

export function forgetPairing(): void {
  unpair();
  set({ pairing: { status: "none" } });
}

// ---- start ----------------------------------------------------------------------------------

/**
 * Acts on a `#pair=` or `#token=` fragment (at load, or when a QR link opens in the already open page)
 * and removes it: the pairing token must not stay in the address bar, the history or a bookmark.
 */
function takeFragment(): boolean {
  const action = parseFragment(location.hash);
  if (action.kind === "none") return false;
  history.replaceState(null, "", location.pathname + location.search);
  set({ route: { name: "list" } });
  if (action.kind === "token") {
    saveToken(action.token);
    connect(action.token);
    return true;
  }
  conn?.stop();
  conn = null;
  set({ token: null, pairing: { status: "pairing" } });
  pairDevice(action.pairingToken, deviceNameFor(navigator.userAgent)).then(
    (r) => {
      saveToken(r.deviceToken, r.deviceId);
      connect(r.deviceToken);
    },
    (e: unknown) => {
      const code = e instanceof ApiError ? e.code : "NETWORK";
      const message = e instanceof Error ? e.message : "Pairing failed.";
      // A phone paired before keeps its token; the failure screen offers to go on with it.
      set({ pairing: { status: "failed", code, message } });
    },
  );
  return true;
}

export function boot(): void {
  window.addEventListener("hashchange", () => {
    if (!takeFragment()) onRoute();
  });
  set({ route: parseRoute(location.hash) });
  if (!takeFragment()) {
    const token = loadToken();
    if (token) connect(token);
  }
  if (state.route.name === "session") openSession(state.route.id);
}

/** Keeps the stored pairing after a failed new one (the button on the failure screen). */
export function continueWithStoredToken(): void {
  const token = loadToken();
  if (token) connect(token);
}
