// The early listener's sockets (accepted before the full server takes it over) are held to the same 10 s header timeout.
import { connect, type Socket } from "node:net";
import { describe, expect, test } from "vitest";
import { listenEarly } from "../../src/daemon/early-listener.js";
import { guardSlowClients, HEADERS_TIMEOUT_MS } from "../../src/server/timeouts.js";

const SLACK_MS = 2_500;

/** Opens a socket; resolves once connected with a promise of the ms from connect to the server's close. */
function open(port: number, onConnect: (s: Socket) => void): Promise<{ closed: Promise<number> }> {
  return new Promise((connected) => {
    const s = connect(port, "127.0.0.1");
    const opened = Date.now();
    s.on("error", () => undefined);
    const closed = new Promise<number>((resolve, reject) => {
      s.once("close", () => resolve(Date.now() - opened));
      // Bounded: a socket the server never closes fails the test instead of hanging it.
      setTimeout(() => {
        s.destroy();
        reject(new Error(`the server kept a socket of the early listener open for ${HEADERS_TIMEOUT_MS + 3 * SLACK_MS} ms`));
      }, HEADERS_TIMEOUT_MS + 3 * SLACK_MS).unref();
    });
    s.once("connect", () => {
      onConnect(s);
      connected({ closed });
    });
  });
}

describe("early listener: slow clients", () => {
  test("a silent socket and a trickling one accepted before the hand-over are closed by the header timeout after it", async () => {
    const listener = await listenEarly({
      host: "127.0.0.1",
      port: 0,
      health: () => ({ status: "starting", version: "0", uptime: 0, claude: { available: false, version: null, checking: true }, sessions: { active: 0, max: 1 } }),
    });
    const silent = await open(listener.port, () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const trickled = await open(listener.port, (s) => {
      s.write("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      timer = setInterval(() => s.writable && s.write("X-Slow: a\r\n"), 1000);
      s.once("close", () => clearInterval(timer));
    });
    // Both are accepted by now: /health on a third socket is answered after them.
    expect((await fetch(`http://127.0.0.1:${listener.port}/health`)).status).toBe(200);
    // What createServer does with the server it is given: its own request listener, then guardSlowClients.
    const server = listener.release();
    server.on("request", (_req, res) => res.end("full"));
    guardSlowClients(server, false);
    listener.replayHeld();
    try {
      const times = await Promise.all([silent.closed, trickled.closed]);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
      expect(Math.max(...times)).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    } finally {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
