// The WebSocket endpoint at /ws: token checked before the upgrade, welcome on connect, frames dispatched by type.
import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { CompanionError, PROTOCOL_VERSION, WS_DEFLATE_THRESHOLD, WS_MAX_PAYLOAD, WS_PATH } from "../../protocol/index.js";
import { extractToken, WS_SUBPROTOCOL, type Principal } from "../auth.js";
import { clientAddress } from "../client-address.js";
import { errorBody, toCompanionError } from "../http-utils.js";
import { closeWith, createConnection, dispatchFrame, type Connection, type FrameHandler } from "./connection.js";

export interface WsServerOptions {
  server: Server;
  /** Checks the upgrade request (Host, Origin, auth-failure limit, token) and returns who it is, or throws. */
  authorize: (req: IncomingMessage, token: string | undefined) => Principal;
  /** Open sockets allowed per client address (TOO_MANY_CONNECTIONS beyond). Default 20. */
  maxSocketsPerAddress?: number;
  logger: Logger;
  version: string;
  /** Frame handlers by type (sessions, permissions …). A `ping` that answers `pong` is built in unless one is given. */
  handlers?: ReadonlyMap<string, FrameHandler>;
  heartbeatMs?: number;
  maxPayload?: number;
  onConnection?: (conn: Connection) => void;
  onDisconnect?: (conn: Connection) => void;
}

export interface WsServer {
  readonly connections: ReadonlySet<Connection>;
  /** Closes the connections that match with the error's close code (e.g. a revoked device: UNAUTHORIZED, 4401). */
  closeWhere(match: (conn: Connection) => boolean, err: CompanionError): number;
  /** Closes every client with the error's close code (default SHUTTING_DOWN, 1001) and stops accepting. */
  close(err?: CompanionError): Promise<void>;
}

function rejectUpgrade(socket: Duplex, err: CompanionError): void {
  const body = JSON.stringify(errorBody(err));
  const retry = typeof err.details.retryAfter === "number" ? `Retry-After: ${err.details.retryAfter}\r\n` : "";
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}Connection: close\r\n\r\n${body}`,
  );
}

export { WS_DEFLATE_THRESHOLD };

export function attachWebSocketServer(options: WsServerOptions): WsServer {
  const logger = options.logger.child({ room: "ws" });
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? WS_MAX_PAYLOAD,
    // permessage-deflate for clients that offer it (browsers do), with context takeover (the JSON envelope repeats).
    // Frames under WS_DEFLATE_THRESHOLD bytes go plain: Connection.sendRaw decides per message, since ws applies this
    // threshold only without context takeover.
    perMessageDeflate: { threshold: WS_DEFLATE_THRESHOLD },
    // Never echo a `bearer.<token>` subprotocol back; accept ours when offered.
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });
  const connections = new Set<Connection>();
  const handlers = new Map<string, FrameHandler>(options.handlers ?? []);
  // The built-in ping only when none is given: the session hub's ping also refreshes a session's idle timer.
  if (!handlers.has("ping")) handlers.set("ping", (conn, frame) => conn.send({ type: "pong", requestId: frame.requestId, data: { ts: Date.now() } }));

  const perAddress = new Map<string, number>();
  const maxPerAddress = options.maxSocketsPerAddress ?? 20;
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "").split("?")[0];
    if (path !== WS_PATH) return rejectUpgrade(socket, new CompanionError("NOT_FOUND", { method: "GET", path }));
    let principal: Principal;
    try {
      principal = options.authorize(req, extractToken(req));
    } catch (err) {
      // An unexpected failure is logged with its stack here and answered INTERNAL.
      return rejectUpgrade(socket, toCompanionError(err, logger));
    }
    const address = clientAddress(req);
    if ((perAddress.get(address) ?? 0) >= maxPerAddress) {
      return rejectUpgrade(socket, new CompanionError("TOO_MANY_CONNECTIONS", { limit: maxPerAddress }));
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req, principal, socket));
  };
  options.server.on("upgrade", onUpgrade);

  function onConnection(ws: WebSocket, req: IncomingMessage, principal: Principal, socket: Duplex) {
    const conn = createConnection(ws, principal, clientAddress(req), logger, socket);
    connections.add(conn);
    perAddress.set(conn.address, (perAddress.get(conn.address) ?? 0) + 1);
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
      const n = (perAddress.get(conn.address) ?? 1) - 1;
      if (n <= 0) perAddress.delete(conn.address);
      else perAddress.set(conn.address, n);
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
    closeWhere(match, err) {
      let n = 0;
      for (const c of connections) {
        if (!match(c)) continue;
        n++;
        closeWith(c, err);
        setTimeout(() => c.socket.terminate(), 500).unref();
      }
      return n;
    },
    close(err = new CompanionError("SHUTTING_DOWN")) {
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
              closeWith(c, err);
            }),
        );
        await Promise.all(closed);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}
