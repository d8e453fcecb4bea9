// createServer(deps): polka + ws on one unstarted http(s).Server. Listening is the daemon's job.
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import polka from "polka";
import type { Logger } from "pino";
import { CompanionError } from "../protocol/index.js";
import type { Authenticator } from "./auth.js";
import { sendError } from "./http-utils.js";
import { requestLog, requireAuth, securityHeaders } from "./middleware.js";
import { registerHealthRoutes, type HealthDeps } from "./routes/health.js";
import { registerTokenRoutes } from "./routes/token.js";
import type { FrameHandler } from "./ws/connection.js";
import { attachWebSocketServer, type WsServer } from "./ws/ws-server.js";

export interface ServerDeps extends HealthDeps {
  logger: Logger;
  version: string;
  auth: Authenticator;
  tls?: { cert: string; key: string };
  wsHandlers?: ReadonlyMap<string, FrameHandler>;
  heartbeatMs?: number;
  rotateMasterToken(): void;
}

export interface CompanionServer {
  readonly server: Server;
  readonly ws: WsServer;
  /** Closes WS clients (1001), then the HTTP server and its sockets. Idempotent. */
  close(): Promise<void>;
}

export function createServer(deps: ServerDeps): CompanionServer {
  const logger = deps.logger.child({ room: "server" });
  const app = polka({
    onError: (err, _req, res) => sendError(res, err, logger),
    onNoMatch: (req, res) => sendError(res, new CompanionError("NOT_FOUND", { method: req.method, path: req.path }), logger),
  });
  app.use(requestLog(logger), securityHeaders());
  app.use("/api", requireAuth(deps.auth, logger));
  registerHealthRoutes(app, deps);
  registerTokenRoutes(app, deps);

  const handler = (req: Parameters<typeof app.handler>[0], res: Parameters<typeof app.handler>[1]) => {
    void app.handler(req, res, undefined as never);
  };
  const server: Server = deps.tls
    ? (createHttpsServer({ cert: deps.tls.cert, key: deps.tls.key }, handler as never) as unknown as Server)
    : createHttpServer(handler as never);
  // Slow clients cannot hold sockets forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });

  const ws = attachWebSocketServer({
    server,
    auth: deps.auth,
    logger: deps.logger,
    version: deps.version,
    handlers: deps.wsHandlers,
    heartbeatMs: deps.heartbeatMs,
  });

  let closing: Promise<void> | undefined;
  return {
    server,
    ws,
    close() {
      closing ??= (async () => {
        await ws.close(1001, "server shutting down");
        await new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeIdleConnections();
          for (const s of sockets) s.destroy();
        });
      })();
      return closing;
    },
  };
}
