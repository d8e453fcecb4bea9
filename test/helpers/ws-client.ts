// A test WebSocket client: validates every frame it receives against the protocol schemas, waits on frames.
import WebSocket from "ws";
import { z } from "zod";
import { ServerFrameSchema, SessionEventSchema } from "../../src/protocol/index.js";

export type Frame = { type: string; requestId?: string | null; sessionId?: string; seq?: number; data?: any };

/** Frames the client accepts: non-event server frames, and session events carried in the envelope. */
function validate(frame: unknown): string | null {
  if (ServerFrameSchema.safeParse(frame).success) return null;
  const f = frame as Frame;
  if (typeof f.seq === "number" && f.sessionId) {
    const asEvent = SessionEventSchema.safeParse({ seq: f.seq, sessionId: f.sessionId, ts: (f as any).ts ?? 0, type: f.type, data: f.data });
    if (asEvent.success) return null;
    return z.prettifyError(asEvent.error);
  }
  const extra = extraSchemas.get(f.type);
  if (extra) {
    const r = extra.safeParse(frame);
    return r.success ? null : z.prettifyError(r.error);
  }
  return `frame of type '${f.type}' matches no protocol schema`;
}

/** Schemas registered by later protocol modules (replies such as streamStarted). */
export const extraSchemas = new Map<string, z.ZodType>();

export interface TestWsClient {
  readonly socket: WebSocket;
  readonly frames: Frame[];
  readonly invalid: { frame: unknown; error: string }[];
  /** The oldest not-yet-taken frame matching `match` (waits for one); frames that do not match stay. */
  next(match: string | ((f: Frame) => boolean), timeoutMs?: number): Promise<Frame>;
  send(frame: unknown): void;
  /**
   * Sends `frame` with a fresh requestId and resolves with the first frame that echoes it and is of type
   * `reply` (or `error`); without `reply`, the first frame that echoes it.
   */
  request(frame: { type: string; sessionId?: string; data?: unknown }, reply?: string, timeoutMs?: number): Promise<Frame>;
  sendRaw(data: string | Buffer): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export function connectWs(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}): Promise<TestWsClient> {
  // No permessage-deflate unless a test asks for it (ws offers it by default; frames then arrive asynchronously).
  const socket = new WebSocket(url, options.protocols, { perMessageDeflate: false, ...options });
  const frames: Frame[] = [];
  const invalid: { frame: unknown; error: string }[] = [];
  // next() takes the oldest frame that matches and was not taken yet; other frames stay for later calls.
  const taken = new Set<number>();
  let firstFree = 0;
  const waiters = new Set<() => void>();
  let requests = 0;
  socket.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    const error = validate(frame);
    if (error) invalid.push({ frame, error });
    frames.push(frame);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const w of [...waiters]) w();
    }),
  );
  const client: TestWsClient = {
    socket,
    frames,
    invalid,
    closed,
    next(match, timeoutMs = 10_000) {
      const pred = typeof match === "string" ? (f: Frame) => f.type === match : match;
      return new Promise((resolve, reject) => {
        // Frames already looked at did not match (the predicate sees each frame once): each check reads only the
        // new ones, else a wait during a flood of N frames costs N²/2 predicate calls (40 000 frames: minutes under load).
        let scanned = 0;
        const check = () => {
          for (let i = Math.max(firstFree, scanned); i < frames.length; i++) {
            if (taken.has(i)) continue;
            const f = frames[i]!;
            if (pred(f)) {
              taken.add(i);
              while (taken.has(firstFree)) taken.delete(firstFree++);
              cleanup();
              resolve(f);
              return;
            }
          }
          scanned = frames.length;
          if (socket.readyState === WebSocket.CLOSED) {
            cleanup();
            reject(new Error(`socket closed while waiting for ${typeof match === "string" ? match : "a frame"}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof match === "string" ? match : "a frame"}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    send(frame) {
      socket.send(JSON.stringify(frame));
    },
    request(frame, reply, timeoutMs) {
      const requestId = `req-${++requests}`;
      const answer = client.next((f) => f.requestId === requestId && (!reply || f.type === reply || f.type === "error"), timeoutMs);
      client.send({ ...frame, requestId });
      return answer;
    },
    sendRaw(data) {
      socket.send(data);
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(client));
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => reject(Object.assign(new Error(`unexpected response ${res.statusCode}`), { status: res.statusCode, body })));
    });
    socket.once("error", reject);
  });
}
