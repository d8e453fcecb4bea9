// The daemon's socket bound before the rest of the daemon loads: /health answers at once, every other request waits for it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import type { HealthResponse } from "../protocol/rest.js";
import { guardSlowClients, SERVER_TIMEOUT_OPTIONS } from "../server/timeouts.js";

export interface EarlyListener {
  /** The plain-HTTP server, listening; the full server takes it over (createServer's `server`). */
  readonly server: Server;
  readonly port: number;
  /** Stops answering: the full server attaches its listeners to the returned server (createServer's `server`). */
  release(): Server;
  /** Gives every request and WebSocket upgrade held so far to the listeners attached since, in arrival order. */
  replayHeld(): void;
}

export interface EarlyListenerOptions {
  host: string;
  port: number;
  /** What GET /health says before the daemon has loaded (status "starting"). */
  health(): HealthResponse;
}

/**
 * Only a Host that every policy accepts (an IP literal or localhost) and no browser Origin: anything else waits
 * for the full server's Host, Origin and CORS checks.
 */
function answerable(req: IncomingMessage): boolean {
  if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.origin !== undefined) return false;
  if (req.url !== "/health" && !req.url?.startsWith("/health?")) return false;
  const host = (req.headers.host ?? "").trim().toLowerCase();
  const name = /^\[([^\]]*)\](?::\d*)?$/.exec(host)?.[1] ?? /^([^:[\]]*)(?::\d*)?$/.exec(host)?.[1] ?? "";
  return name === "localhost" || isIP(name) !== 0;
}

/** Binds host:port (errors as listen() gives them: EADDRINUSE, EADDRNOTAVAIL …) and answers /health until handOver. */
export function listenEarly(options: EarlyListenerOptions): Promise<EarlyListener> {
  const held: ({ kind: "request"; req: IncomingMessage; res: ServerResponse } | { kind: "upgrade"; req: IncomingMessage; socket: Duplex; head: Buffer })[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (!answerable(req)) {
      held.push({ kind: "request", req, res });
      return;
    }
    const body = JSON.stringify(options.health());
    res.writeHead(200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => void held.push({ kind: "upgrade", req, socket, head });
  const server = createServer(SERVER_TIMEOUT_OPTIONS, onRequest);
  // From the first connection: one accepted before the hand-over never gets the full server's "connection" event.
  guardSlowClients(server, false);
  server.on("upgrade", onUpgrade);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve({
        server,
        port: typeof address === "object" && address ? address.port : options.port,
        release() {
          server.off("request", onRequest);
          server.off("upgrade", onUpgrade);
          return server;
        },
        replayHeld() {
          for (const h of held.splice(0)) {
            if (h.kind === "request") {
              if (!h.res.destroyed) server.emit("request", h.req, h.res);
            } else if (!h.socket.destroyed) server.emit("upgrade", h.req, h.socket, h.head);
          }
        },
      });
    });
  });
}
