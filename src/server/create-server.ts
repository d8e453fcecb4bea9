// createServer(deps): polka + ws on one unstarted http(s).Server. Listening is the daemon's job.
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import polka, { type Middleware } from "polka";
import type { Logger } from "pino";
import { CLIENT_FRAMES, CompanionError, WS_MAX_BUFFERED } from "../protocol/index.js";
import type { History } from "../history/index.js";
import type { Presence } from "../notify/index.js";
import type { SessionManager } from "../sessions/index.js";
import type { Authenticator } from "./auth.js";
import { createClientAddressResolver, tagClientAddress } from "./client-address.js";
import { checkFetchSite, checkHost, checkOrigin, hostAndCors, type OriginPolicy } from "./guards.js";
import { sendError } from "./http-utils.js";
import { clientAddress, createAuthGate, rateLimit, requestLog, requireAuth, securityHeaders } from "./middleware.js";
import { createRateLimiter } from "./rate-limit.js";
import { registerAskRoutes } from "./routes/ask.js";
import { registerChangesRoutes } from "./routes/changes.js";
import type { Changes } from "../changes/index.js";
import { registerClaudeRoutes, type ClaudeRouteDeps } from "./routes/claude.js";
import { createHistoryPolicy } from "./history-policy.js";
import { registerHealthRoutes, type HealthDeps } from "./routes/health.js";
import { registerNotifyRoutes, type NotifyRouteDeps } from "./routes/notify.js";
import { registerDirectoryRoutes, type DirectoryRouteDeps } from "./routes/directories.js";
import { registerHistoryRoutes } from "./routes/history.js";
import { PAIR_PATH, registerPairingRoutes, type PairingRouteDeps } from "./routes/pairing.js";
import { registerPermissionRoutes } from "./routes/permission.js";
import { registerProcessRoutes } from "./routes/processes.js";
import { registerGrantRoutes } from "./routes/grants.js";
import { registerCommandRoutes } from "./routes/commands.js";
import { registerModelRoutes } from "./routes/models.js";
import { registerFileRoutes, type FileRouteDeps } from "./routes/files.js";
import { registerSessionRoutes } from "./routes/sessions.js";
import { registerTokenRoutes } from "./routes/token.js";
import { createSessionPolicy } from "./session-policy.js";
import { guardSlowClients, SERVER_TIMEOUT_OPTIONS } from "./timeouts.js";
import type { FrameHandler } from "./ws/connection.js";
import { parseInput } from "./validate.js";
import { createHistoryHub } from "./ws/history-hub.js";
import { createSessionHub } from "./ws/session-hub.js";
import { attachWebSocketServer, type WsServer } from "./ws/ws-server.js";

export interface ServerLimits {
  /** Largest request body in bytes (PAYLOAD_TOO_LARGE beyond). Default 12 MiB. */
  maxBodyBytes: number;
  /** Requests per minute per address on /api (RATE_LIMITED beyond). Default 120. */
  requestsPerMinute: number;
  /** Failed authentications per minute per address (AUTH_RATE_LIMITED beyond). Default 10. */
  authFailuresPerMinute: number;
  /** Open WebSockets per address. Default 20. */
  maxSocketsPerAddress: number;
  /** WebSocket heartbeat interval. Default 30 000 ms. */
  heartbeatMs: number;
  /** Unsent bytes a WebSocket client may fall behind before it is cut off (1013). Default 8 MiB. */
  maxBufferedBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 12 * 1024 * 1024,
  requestsPerMinute: 120,
  authFailuresPerMinute: 10,
  maxSocketsPerAddress: 20,
  heartbeatMs: 30_000,
  maxBufferedBytes: WS_MAX_BUFFERED,
};

export interface ServerDeps extends HealthDeps, ClaudeRouteDeps {
  logger: Logger;
  version: string;
  auth: Authenticator;
  sessions: SessionManager;
  rotateMasterToken(): void;
  /** Host/Origin policy (DNS rebinding, CORS, WS Origin). */
  origin: OriginPolicy;
  limits?: Partial<ServerLimits>;
  tls?: { cert: string; key: string };
  /** A plain-HTTP server already listening (the daemon's early listener) to serve on instead of a new one. */
  server?: Server;
  /** Proxies (addresses or CIDR blocks) whose X-Forwarded-For names the client (TRUST_PROXY). Default none. */
  trustProxy?: readonly string[];
  /** Pairing and devices; without it, /api/pair is 404. */
  pairing?: Omit<PairingRouteDeps, "attempts" | "logger">;
  /** Serves the phone client for non-API GETs. */
  staticHandler?: Middleware;
  extraWsHandlers?: ReadonlyMap<string, FrameHandler>;
  /** Notifications: channel and push routes, action URLs, and the WS `presence` frame. */
  notify?: NotifyRouteDeps & { presence: PresenceSink };
  /** Claude Code's transcripts (GET /api/history, live mirrors, resume of terminal sessions). */
  history?: History;
  /** The directory picker (GET /api/directories). */
  directories?: DirectoryRouteDeps;
  /** The composer's file names for `@` (GET /api/files/search). */
  files?: FileRouteDeps;
  /** The Changes view and the file viewer (GET /api/sessions/:id/changes, /diff, /api/files). */
  changes?: Changes;
}

/** Where `presence` frames go (the notify room's presence). */
export type PresenceSink = Pick<Presence, "set" | "drop">;

export interface CompanionServer {
  readonly server: Server;
  readonly ws: WsServer;
  /** Closes WS clients (1001), then the HTTP server and its sockets. Idempotent. */
  close(): Promise<void>;
}

/** The WS `presence` frame: `{ visible, sessionId? }` -> ack. */
function presenceHandlers(sink: PresenceSink | undefined): [string, FrameHandler][] {
  if (!sink) return [];
  return [
    [
      "presence",
      (conn, frame) => {
        const data = parseInput(CLIENT_FRAMES.presence.data, frame.data ?? {}, "data");
        sink.set(conn.id, data);
        conn.send({ type: "ack", requestId: frame.requestId ?? null, data: { command: "presence" } });
      },
    ],
  ];
}

export function createServer(deps: ServerDeps): CompanionServer {
  const logger = deps.logger.child({ room: "server" });
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const fail = (res: Parameters<typeof sendError>[0], err: unknown) => sendError(res, err, logger);
  const app = polka({
    onError: (err, _req, res) => fail(res, err),
    onNoMatch: (req, res) => fail(res, new CompanionError("NOT_FOUND", { method: req.method, path: req.path })),
  });
  const gate = createAuthGate(deps.auth, createRateLimiter(limits.authFailuresPerMinute), logger);
  app.use(requestLog(logger), securityHeaders(), hostAndCors(deps.origin, fail));
  app.use("/api", rateLimit(createRateLimiter(limits.requestsPerMinute), logger));
  // /api/pair carries its own credential (the one-time pairing token) and its own attempt limit.
  app.use("/api", requireAuth(gate, logger, new Set(deps.pairing ? [PAIR_PATH] : [])));

  const policy = createSessionPolicy();
  const historyPolicy = createHistoryPolicy(deps.history, deps.sessions, policy);
  const routeDeps = { sessions: deps.sessions, policy, historyPolicy, maxBodyBytes: limits.maxBodyBytes };
  registerHealthRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerSessionRoutes(app, routeDeps);
  registerProcessRoutes(app, routeDeps);
  registerGrantRoutes(app, routeDeps);
  registerCommandRoutes(app, routeDeps);
  registerModelRoutes(app, routeDeps);
  registerAskRoutes(app, routeDeps);
  registerPermissionRoutes(app, routeDeps);
  registerClaudeRoutes(app, deps);
  if (deps.history) registerHistoryRoutes(app, deps.history, deps.sessions, limits.maxBodyBytes);
  if (deps.directories) registerDirectoryRoutes(app, deps.directories);
  if (deps.files) registerFileRoutes(app, deps.files);
  if (deps.changes) registerChangesRoutes(app, { sessions: deps.sessions, changes: deps.changes });
  if (deps.pairing) {
    const attempts = createRateLimiter(limits.authFailuresPerMinute);
    registerPairingRoutes(app, { ...deps.pairing, attempts, logger }, limits.maxBodyBytes);
  }
  if (deps.notify) registerNotifyRoutes(app, deps.notify, createRateLimiter(limits.authFailuresPerMinute));
  if (deps.staticHandler) app.get("/*", deps.staticHandler).get("/", deps.staticHandler);

  const addressOf = createClientAddressResolver(deps.trustProxy ?? []);
  const handler = (req: IncomingMessage, res: Parameters<typeof app.handler>[1]) => {
    tagClientAddress(req, addressOf);
    void app.handler(req as never, res, undefined as never);
  };
  const server: Server = deps.server
    ? deps.server.on("request", handler)
    : deps.tls
      ? (createHttpsServer({ ...SERVER_TIMEOUT_OPTIONS, cert: deps.tls.cert, key: deps.tls.key }, handler) as unknown as Server)
      : createHttpServer(SERVER_TIMEOUT_OPTIONS, handler);
  // Slow clients cannot hold sockets forever (slow-loris).
  guardSlowClients(server, Boolean(deps.tls));

  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });

  // Before the WebSocket server's own upgrade listener: it reads the tagged address.
  server.on("upgrade", (req: IncomingMessage) => tagClientAddress(req, addressOf));
  let ws: WsServer | undefined;
  const hub = createSessionHub({
    sessions: deps.sessions,
    policy,
    logger: deps.logger,
    connections: () => ws?.connections ?? [],
    maxBuffered: limits.maxBufferedBytes,
    historyPolicy,
    ...(deps.history ? { historyHub: createHistoryHub(deps.history) } : {}),
  });
  ws = attachWebSocketServer({
    server,
    authorize: (req, token) => {
      checkHost(req, deps.origin);
      checkFetchSite(req, deps.origin);
      checkOrigin(req, deps.origin);
      return gate.check(token, clientAddress(req));
    },
    logger: deps.logger,
    version: deps.version,
    handlers: new Map([...hub.handlers, ...presenceHandlers(deps.notify?.presence), ...(deps.extraWsHandlers ?? [])]),
    heartbeatMs: limits.heartbeatMs,
    maxSocketsPerAddress: limits.maxSocketsPerAddress,
    onDisconnect: (c) => {
      hub.onDisconnect(c);
      deps.notify?.presence.drop(c.id);
    },
  });
  const wsServer = ws;

  let closing: Promise<void> | undefined;
  return {
    server,
    ws: wsServer,
    close() {
      closing ??= (async () => {
        hub.close();
        await wsServer.close(new CompanionError("SHUTTING_DOWN"));
        await new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeIdleConnections();
          // Connections made before `sockets` tracked them (an early listener's) too.
          server.closeAllConnections();
          for (const s of sockets) s.destroy();
        });
      })();
      return closing;
    },
  };
}
