// The page's link to the daemon: connect, resubscribe after reconnects, the session list, and the commands the screens send.
import type { Decision, PermissionMode } from "../protocol/common.js";
import type { ServerFrame } from "../protocol/ws.js";
import type { PromptImage } from "../protocol/requests.js";
import { sendWithImages } from "./composer-api.js";
import type { ClientFrameData, ClientFrameType } from "../protocol/ws.js";
import { ApiError, fetchSessions, tokenWorks } from "./api.js";
import { createConnection, RequestError, wsUrlFor, type Connection } from "./connection.js";
import { forgetToken, rememberDir } from "./pairing.js";
import { followUp, withSessions, type Frame } from "./reducer.js";
import { navigate } from "./navigate.js";
import { dispatch, fail, getState, inform, set } from "./store.js";
import { emptyView } from "./transcript.js";

let conn: Connection | null = null;

export function connect(token: string): void {
  conn?.stop();
  set({ token, pairing: { status: "none" } });
  conn = createConnection({
    url: wsUrlFor(location),
    token,
    onFrame,
    onState: (s) => set({ conn: s }),
    onReady,
    onUnauthorized: () => unpair(),
    checkToken: () => tokenWorks(token),
  });
  conn.start();
  // The list also comes over REST so the first screen does not wait for the socket.
  fetchSessions(token).then(
    (list) => {
      const s = getState();
      if (!s.listLoaded) set(withSessions(s, list));
    },
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) unpair();
    },
  );
}

/** Stops the connection without forgetting anything (a new pairing is being made). */
export function disconnect(): void {
  conn?.stop();
  conn = null;
}

/** The token is gone (refused by the daemon, or forgotten here): back to the pairing screen. */
export function unpair(pairing: "revoked" | "none" = "revoked"): void {
  disconnect();
  forgetToken();
  set({ token: null, pairing: { status: pairing }, conn: "offline", views: {}, sessions: {}, listLoaded: false });
}

let presence: ClientFrameData<"presence"> | null = null;
/** Tells the daemon whether this page shows a session (its notifications are then skipped); sent again after reconnects. */
export function reportPresence(data: ClientFrameData<"presence">): void {
  presence = data;
  void conn?.request("presence", data).catch(() => undefined);
}

function onReady(): void {
  refreshList();
  if (presence) void conn?.request("presence", presence).catch(() => undefined);
  // Resume every open session after the last event this page applied: the server replays the rest.
  for (const view of Object.values(getState().views)) subscribe(view.sessionId, view.cursor.lastSeq ?? 0);
}

function onFrame(frame: Frame): void {
  const before = dispatch(frame);
  const next = followUp(before, getState(), frame);
  if (next?.kind === "resubscribe") subscribe(next.sessionId, next.lastSeq);
  else if (next?.kind === "refreshList") refreshList(300);
}

function subscribe(sessionId: string, lastSeq: number): void {
  // The replay in a few eventBatch frames (a phone parses them much faster than one frame per event), without
  // Claude's raw stream events (more than half of a long session's bytes; the page draws nothing from them).
  conn?.request("subscribe", { lastSeq, batch: true, omitStreamEvents: true }, sessionId).catch((e: unknown) => {
    if (e instanceof RequestError && e.code === "SESSION_NOT_FOUND") set({ missing: { ...getState().missing, [sessionId]: true } });
  });
}

let listTimer: ReturnType<typeof setTimeout> | undefined;
/** Asks for the session list (debounced); pending-permission badges of sessions not open come from it. */
export function refreshList(delayMs = 0): void {
  clearTimeout(listTimer);
  listTimer = setTimeout(() => void conn?.request("sessions", undefined).catch(() => undefined), delayMs);
}

/** Shows a session: its view starts empty and fills from the subscribe replay. `transcript`: one the History tab shows. */
export function openSession(id: string, transcript = false): void {
  const s = getState();
  if (s.views[id]) return;
  set({ views: { ...s.views, [id]: emptyView(id, s.sessions[id]?.state, transcript && !s.sessions[id]) } });
  if (s.conn === "connected") subscribe(id, 0);
}

/** The History tab leaves a transcript: it is no longer followed (the daemon stops watching its file for this page). */
export function closeTranscript(id: string): void {
  const s = getState();
  if (!s.views[id]?.transcript) return;
  const { [id]: _left, ...views } = s.views;
  set({ views });
  void conn?.request("unsubscribe", {}, id).catch(() => undefined);
}

/**
 * Sends one command and gives its reply, or null when it failed: the failure is shown as the error
 * notice unless `handled` takes it (returns true).
 */
export async function command<T extends ClientFrameType>(
  type: T,
  data: ClientFrameData<T>,
  sessionId?: string,
  handled?: (e: RequestError) => boolean,
): Promise<ServerFrame | null> {
  if (!conn) return null;
  try {
    return await conn.request(type, data, sessionId);
  } catch (e) {
    if (!(e instanceof RequestError && handled?.(e))) fail(e);
    return null;
  }
}

export async function startSession(input: { workingDirectory: string; permissionMode: PermissionMode; model?: string }): Promise<boolean> {
  const dir = input.workingDirectory.trim();
  const reply = await command("streamStart", {
    ...(dir ? { workingDirectory: dir } : {}),
    permissionMode: input.permissionMode,
    ...(input.model ? { model: input.model } : {}),
  });
  if (reply?.type !== "streamStarted") return false;
  if (dir) rememberDir(dir);
  navigate({ name: "session", id: reply.data.sessionId });
  return true;
}

/** Resolves true when the server took the prompt (the text box may be cleared). Pictures go over REST (a WS frame is at most 1 MiB). */
export async function sendPrompt(sessionId: string, prompt: string, images: PromptImage[] = []): Promise<boolean> {
  if (!prompt.trim()) return false;
  let pos: number;
  if (images.length > 0) {
    const token = getState().token;
    if (!token) return false;
    try {
      pos = (await sendWithImages(token, sessionId, prompt, images)).queuePosition;
    } catch (e) {
      fail(e);
      return false;
    }
  } else {
    const ack = await command("streamSend", { prompt }, sessionId);
    if (!ack) return false;
    pos = ack.type === "ack" ? (ack.data.queuePosition ?? 0) : 0;
  }
  if (pos > 0) inform(`Queued: ${pos} prompt${pos === 1 ? "" : "s"} ahead of it run first.`);
  else if (getState().notice?.tone === "info") set({ notice: null });
  return true;
}

export async function answerPermission(
  sessionId: string,
  permissionId: string,
  decision: Decision,
  extra: { message?: string; updatedInput?: Record<string, unknown> } = {},
): Promise<void> {
  await command("permission", { permissionId, decision, ...extra }, sessionId, (e) => {
    if (e.code !== "PERMISSION_NOT_PENDING") return false;
    inform("This request was already answered elsewhere.");
    return true;
  });
}

export async function interrupt(sessionId: string): Promise<void> {
  await command("interrupt", undefined, sessionId);
}

/** Starts a closed session again: same id, same log (seq continues), Claude resumes the conversation. */
export async function resumeSession(sessionId: string): Promise<void> {
  const info = getState().sessions[sessionId];
  await command("streamStart", {
    resume: sessionId,
    ...(info ? { workingDirectory: info.workingDirectory, permissionMode: info.permissionMode } : {}),
  });
}

export async function closeSession(sessionId: string): Promise<void> {
  await command("streamClose", undefined, sessionId);
}

/** Switches the session's permission mode live (the CLI's set_permission_mode). */
export async function setPermissionMode(sessionId: string, mode: PermissionMode): Promise<boolean> {
  return (await command("setPermissionMode", { mode }, sessionId)) !== null;
}

/** Switches the model for the next turns; null returns to the CLI's default. */
export async function setModel(sessionId: string, model: string | null): Promise<boolean> {
  return (await command("setModel", { model }, sessionId)) !== null;
}
