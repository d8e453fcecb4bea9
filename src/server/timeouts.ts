// Socket timeouts against slow clients (slow-loris): a request head must arrive within 10 s of the connection.
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";

/** Time a client has to send a complete request head, from the connection (TLS: from the end of the handshake). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Time a client has to send a whole request, body included. */
export const REQUEST_TIMEOUT_MS = 60_000;
/** Idle time of a keep-alive connection between requests. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * Options for http(s).createServer. Node enforces headersTimeout and requestTimeout only when it sweeps
 * its connections, every connectionsCheckingInterval (30 s by default): a slow-loris socket would live
 * ~40 s, not 10 s. A TLS handshake gets the same time as a request head (Node's default is 120 s).
 */
export const SERVER_TIMEOUT_OPTIONS = { connectionsCheckingInterval: 1000, handshakeTimeout: HEADERS_TIMEOUT_MS };

const guarded = new WeakSet<Server>();

/**
 * Once per server: the early listener guards its server from its first connection, and the full server that takes
 * it over calls this again (a socket accepted before the hand-over would otherwise have no timer at all).
 */
export function guardSlowClients(server: Server, tls: boolean): void {
  if (guarded.has(server)) return;
  guarded.add(server);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node's headersTimeout runs from the first byte of a request: a socket that never sends one would stay open.
  const started = new WeakSet<object>();
  server.on(tls ? "secureConnection" : "connection", (s: Socket) => {
    const timer = setTimeout(() => {
      if (!started.has(s)) s.destroy();
    }, HEADERS_TIMEOUT_MS);
    timer.unref();
    s.once("close", () => clearTimeout(timer));
  });
  const mark = (req: IncomingMessage) => started.add(req.socket);
  server.on("request", mark);
  server.on("upgrade", mark);
}
