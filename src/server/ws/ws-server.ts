// The WebSocket endpoint at /ws: token checked before the upgrade, welcome on connect, frames dispatched by type.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { CompanionError, PROTOCOL_VERSION, WS_MAX_PAYLOAD, WS_PATH } from "../../protocol/index.js";
import { extractToken, WS_SUBPROTOCOL, type Authenticator, type Principal } from "../auth.js";
import { errorBody } from "../http-utils.js";
import { createConnection, dispatchFrame, type Connection, type FrameHandler } from "./connection.js";

export interface WsServerOptions {
  server: Server;
  auth: Authenticator;
  logger: Logger;
  version: string;
  /** Extra frame handlers by type (sessions, permissions …). `ping` is built in. */
  handlers?: ReadonlyMap<string, FrameHandler>;
  heartbeatMs?: number;
  maxPayload?: number;
  onConnection?: (conn: Connection) => void;
  onDisconnect?: (conn: Connection) => void;
}

export interface WsServer {
  readonly connections: ReadonlySet<Connection>;
  /** Closes every client with `code` (1001 going away) and stops accepting. */
  close(code?: number, reason?: string): Promise<void>;
}

function rejectUpgrade(socket: Duplex, status: number, err: CompanionError): void {
  const body = JSON.stringify(errorBody(err));
  const text = status === 401 ? "Unauthorized" : status === 404 ? "Not Found" : "Error";
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function attachWebSocketServer(options: WsServerOptions): WsServer {
  const logger = options.logger.child({ room: "ws" });
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? WS_MAX_PAYLOAD,
    // Never echo a `bearer.<token>` subprotocol back; accept ours when offered.
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });
  const connections = new Set<Connection>();
  const handlers = new Map<string, FrameHandler>(options.handlers ?? []);
  handlers.set("ping", (conn, frame) => conn.send({ type: "pong", requestId: frame.requestId, data: { ts: Date.now() } }));

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== WS_PATH) return rejectUpgrade(socket, 404, new CompanionError("NOT_FOUND", { method: "GET", path }));
    const principal = options.auth.verify(extractToken(req));
    if (!principal) return rejectUpgrade(socket, 401, new CompanionError("UNAUTHORIZED"));
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req, principal));
  };
  options.server.on("upgrade", onUpgrade);

  function onConnection(ws: WebSocket, req: IncomingMessage, principal: Principal) {
    const conn = createConnection(ws, principal, req.socket.remoteAddress ?? "unknown", logger);
    connections.add(conn);
    let alive = true;
    ws.on("pong", () => {
      alive = true;
    });
    const heartbeat = setInterval(() => {
      if (!alive) {
        logger.info({ connectionId: conn.id }, "terminating a connection that missed a heartbeat");
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, heartbeatMs);
    heartbeat.unref();
    ws.on("message", (data, isBinary) => {
      void dispatchFrame(conn, isBinary ? Buffer.from(data as Buffer).toString("utf8") : data.toString(), handlers);
    });
    ws.on("error", (err) => logger.debug({ connectionId: conn.id, err: err.message }, "socket error"));
    ws.on("close", (code) => {
      clearInterval(heartbeat);
      connections.delete(conn);
      logger.debug({ connectionId: conn.id, code }, "connection closed");
      options.onDisconnect?.(conn);
    });
    logger.debug({ connectionId: conn.id, who: principal.label, address: conn.address }, "connection opened");
    conn.send({
      type: "welcome",
      data: { serverVersion: options.version, protocolVersion: PROTOCOL_VERSION, connectionId: conn.id, heartbeatMs },
    });
    options.onConnection?.(conn);
  }

  let closing: Promise<void> | undefined;
  return {
    connections,
    close(code = 1001, reason = "server shutting down") {
      closing ??= (async () => {
        options.server.off("upgrade", onUpgrade);
        const closed = [...connections].map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.socket.readyState === c.socket.CLOSED) return resolve();
              const t = setTimeout(() => {
                c.socket.terminate();
                resolve();
              }, 500);
              c.socket.once("close", () => {
                clearTimeout(t);
                resolve();
              });
              c.socket.close(code, reason);
            }),
        );
        await Promise.all(closed);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}
