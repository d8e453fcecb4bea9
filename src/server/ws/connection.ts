// One WebSocket client: parses frames, dispatches them by type, replies with the shared error body.
import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import type { WebSocket } from "ws";
import { CompanionError, EnvelopeSchema, WS_DEFLATE_THRESHOLD, type Envelope } from "../../protocol/index.js";
import type { Principal } from "../auth.js";
import { errorBody, toCompanionError } from "../http-utils.js";

export interface Connection {
  readonly id: string;
  readonly principal: Principal;
  readonly address: string;
  readonly socket: WebSocket;
  /** Sends a frame object (serialised here). */
  send(frame: unknown): void;
  /** Sends an already-serialised frame: the hot path for session events. */
  sendRaw(json: string): void;
  /** Holds frames back until uncork(), which writes them in one syscall (no-op without a transport). */
  cork(): void;
  uncork(): void;
  sendError(err: unknown, requestId?: string, sessionId?: string): void;
  /** Per-connection state that handlers may keep (subscriptions). */
  readonly state: Map<string, unknown>;
}

/**
 * Ends a connection the way the error table says: its row's `wsClose` code (1011 for a row without one),
 * the error code as the close reason. The one place a server-side close code is chosen.
 */
export function closeWith(conn: Pick<Connection, "socket">, err: CompanionError): void {
  conn.socket.close(err.wsClose ?? 1011, err.code);
}

export type FrameHandler = (conn: Connection, frame: Envelope) => void | Promise<void>;

/** `transport` is the TCP (or TLS) socket under `socket`, from the upgrade request (for cork/uncork). */
export function createConnection(socket: WebSocket, principal: Principal, address: string, logger: Logger, transport?: Duplex): Connection {
  let corked = false;
  const conn: Connection = {
    id: randomUUID(),
    principal,
    address,
    socket,
    state: new Map(),
    send(frame) {
      conn.sendRaw(JSON.stringify(frame));
    },
    sendRaw(json) {
      // Compressed (when negotiated) from WS_DEFLATE_THRESHOLD bytes on; the byte count is needed only for short strings.
      if (socket.readyState === socket.OPEN) socket.send(json, { compress: json.length >= WS_DEFLATE_THRESHOLD || Buffer.byteLength(json) >= WS_DEFLATE_THRESHOLD });
    },
    cork() {
      if (corked || !transport) return;
      corked = true;
      transport.cork();
    },
    uncork() {
      if (!corked) return;
      corked = false;
      transport?.uncork();
    },
    sendError(err, requestId, sessionId) {
      conn.send(errorBody(toCompanionError(err, logger), requestId, sessionId));
    },
  };
  return conn;
}

/** Parses one text frame; bad frames get an error frame and the connection stays open. */
export async function dispatchFrame(
  conn: Connection,
  raw: string,
  handlers: ReadonlyMap<string, FrameHandler>,
): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    conn.sendError(new CompanionError("BAD_REQUEST", { reason: "the frame is not valid JSON" }));
    return;
  }
  const requestId =
    typeof parsed === "object" && parsed !== null && typeof (parsed as { requestId?: unknown }).requestId === "string"
      ? ((parsed as { requestId: string }).requestId.slice(0, 128))
      : undefined;
  const envelope = EnvelopeSchema.safeParse(parsed);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const path = issue?.path.join(".") || "(frame)";
    conn.sendError(
      new CompanionError("BAD_REQUEST", { reason: `${path}: ${issue?.message ?? "invalid"}` }, { path }),
      requestId,
    );
    return;
  }
  const handler = handlers.get(envelope.data.type);
  if (!handler) {
    conn.sendError(new CompanionError("UNKNOWN_TYPE", { type: envelope.data.type.slice(0, 64) }), requestId);
    return;
  }
  try {
    await handler(conn, envelope.data);
  } catch (err) {
    conn.sendError(err, requestId, envelope.data.sessionId);
  }
}
