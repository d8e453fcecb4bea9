// The phone's one WebSocket to the daemon: token auth, reconnect with backoff, requests by id. The seq rules are in seq.ts.
import { WS_BEARER_PREFIX, WS_PATH, WS_SUBPROTOCOL } from "../protocol/constants.js";
import type { ClientFrameData, ClientFrameType, ServerFrame } from "../protocol/ws.js";
import type { ConnState, Frame } from "./reducer.js";
import { backoffDelay } from "./seq.js";

export interface ConnectionOptions {
  /** ws:// or wss:// URL of /ws. */
  url: string;
  token: string;
  onFrame(frame: Frame): void;
  onState(state: ConnState): void;
  /** The server said welcome: (re)subscribe and refresh here. */
  onReady(): void;
  /** The token was refused (close 4401, or a failed connect that a REST probe confirms). */
  onUnauthorized(): void;
  /** Asked after a connect fails before welcome: true when the token is still good. */
  checkToken(): Promise<boolean>;
  random?: () => number;
}

export interface Connection {
  readonly state: ConnState;
  start(): void;
  stop(): void;
  /** Sends a frame and resolves with the first reply that echoes its requestId (rejects on an error reply). */
  request<T extends ClientFrameType>(type: T, data: ClientFrameData<T>, sessionId?: string, timeoutMs?: number): Promise<ServerFrame>;
  /** Drops the socket and connects again at once (used when a wake-up ping gets no pong). */
  reconnectNow(): void;
}

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function wsUrlFor(loc: Pick<Location, "protocol" | "host">): string {
  return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}${WS_PATH}`;
}

export function createConnection(options: ConnectionOptions): Connection {
  let socket: WebSocket | null = null;
  let state: ConnState = "connecting";
  let attempt = 0;
  let everConnected = false;
  let stopped = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let counter = 0;
  const pending = new Map<string, { resolve(f: ServerFrame): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();

  const setState = (next: ConnState) => {
    if (next === state) return;
    state = next;
    options.onState(next);
  };

  const failPending = (why: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError("DISCONNECTED", why));
      pending.delete(id);
    }
  };

  /** A reply ends the request that carried its requestId: an error frame rejects it. */
  const settle = (requestId: string, frame: ServerFrame) => {
    const p = pending.get(requestId);
    if (!p) return;
    pending.delete(requestId);
    clearTimeout(p.timer);
    if (frame.type === "error") p.reject(new RequestError(frame.data.code, frame.data.message, frame.data.details));
    else p.resolve(frame);
  };

  const open = () => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    if (typeof navigator !== "undefined" && navigator.onLine === false) return setState("offline");
    setState(everConnected || attempt > 0 ? "reconnecting" : "connecting");
    let welcomed = false;
    // Browsers cannot set headers on a WebSocket: the token travels as a second subprotocol.
    const ws = new WebSocket(options.url, [WS_SUBPROTOCOL, `${WS_BEARER_PREFIX}${options.token}`]);
    socket = ws;
    ws.onmessage = (ev) => {
      // The daemon validates what it sends against the protocol's schemas; the page takes its frames as typed.
      let frame: Frame;
      try {
        frame = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (frame.type === "welcome") {
        welcomed = true;
        everConnected = true;
        attempt = 0;
        setState("connected");
        options.onReady();
        return;
      }
      if ("requestId" in frame && frame.requestId) settle(frame.requestId, frame);
      options.onFrame(frame);
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      failPending("The connection was lost.");
      if (stopped) return;
      if (ev.code === 4401) return unauthorized();
      if (!welcomed) {
        // A refused upgrade looks like any network error to a page: ask REST whether the token is the reason.
        void options.checkToken().then(
          (ok) => (ok ? schedule() : unauthorized()),
          () => schedule(),
        );
        return;
      }
      schedule();
    };
  };

  const unauthorized = () => {
    stopped = true;
    options.onUnauthorized();
  };

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    if (typeof navigator !== "undefined" && navigator.onLine === false) return setState("offline");
    setState(everConnected || attempt > 0 ? "reconnecting" : "connecting");
    timer = setTimeout(open, backoffDelay(attempt++, options.random));
  };

  const drop = () => {
    const ws = socket;
    socket = null;
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
    }
    failPending("The connection was reset.");
  };

  const reconnectNow = () => {
    if (stopped) return;
    drop();
    attempt = 0;
    open();
  };

  /** Checks a socket that may be dead (after sleep or a network change): a ping without pong within 4 s means reconnect. */
  const probe = () => {
    const ws = socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return reconnectNow();
    connection.request("ping", {}, undefined, 4000).then(
      () => {
        if (socket === ws && navigator.onLine !== false) setState("connected");
      },
      () => {
        if (socket === ws) reconnectNow();
      },
    );
  };
  // The system says there is no network: say so at once (sending is disabled) and wait for `online`.
  const onOffline = () => {
    if (!stopped) setState("offline");
  };
  const onOnline = () => {
    if (!stopped) probe();
  };
  const onVisible = () => {
    if (document.visibilityState === "visible" && !stopped) probe();
  };

  const connection: Connection = {
    get state() {
      return state;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      window.addEventListener("online", onOnline);
      window.addEventListener("offline", onOffline);
      document.addEventListener("visibilitychange", onVisible);
      open();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      document.removeEventListener("visibilitychange", onVisible);
      drop();
    },
    request(type, data, sessionId, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        if (!socket || socket.readyState !== WebSocket.OPEN) {
          reject(new RequestError("DISCONNECTED", "Not connected to the computer."));
          return;
        }
        const requestId = `r${++counter}`;
        const t = setTimeout(() => {
          pending.delete(requestId);
          reject(new RequestError("TIMEOUT", "The computer did not answer in time."));
        }, timeoutMs);
        pending.set(requestId, { resolve, reject, timer: t });
        socket.send(JSON.stringify({ type, requestId, ...(sessionId ? { sessionId } : {}), data }));
      });
    },
    reconnectNow,
  };
  return connection;
}
