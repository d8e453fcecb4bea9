// Slow-loris: sockets that send headers slowly, or nothing at all, are closed by the server's header
// timeout (10 s) within a bounded time, on HTTP and on HTTPS, while the daemon keeps answering others.
import { connect as netConnect, type Socket } from "node:net";
import { afterAll, describe, expect, test } from "vitest";
import { cleanupTempDirs } from "../helpers/tmp.js";
import { figure, finishFile, raw, startTracked } from "./support.js";

afterAll(async () => {
  const leaks = await finishFile("timeouts");
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

/** The server's header timeout (src/server/create-server.ts), and how late a close may come. */
const HEADERS_TIMEOUT_MS = 10_000;
const SLACK_MS = 2_500;

/**
 * How long this process's event loop did not run. The daemon runs in this process: while the loop is stalled
 * (suite load) no timer of the server fires and no close is read, so that time is not the server's to answer for.
 */
const stall = (() => {
  let last = performance.now();
  let total = 0;
  setInterval(() => {
    const now = performance.now();
    // Only a real stall counts, not a tick's jitter (which would add up over 10 s while the server's one timer is late once).
    if (now - last > 250) total += now - last - 100;
    last = now;
  }, 100).unref();
  return () => total;
})();

/**
 * Opens a TCP socket; resolves with the ms from connect to the server's close (`ms`), and the same less the time this
 * process's loop was stalled meanwhile (`ownMs`: the server's own time, which its timeout is held to).
 */
function hold(port: number, behave: (s: Socket) => () => void): Promise<{ ms: number; ownMs: number }> {
  return new Promise((resolve, reject) => {
    const s = netConnect(port, "127.0.0.1");
    let stop = () => {};
    const opened = Date.now();
    const stalledAtOpen = stall();
    s.once("connect", () => (stop = behave(s)));
    s.on("error", () => undefined);
    s.once("close", () => {
      stop();
      const ms = Date.now() - opened;
      resolve({ ms, ownMs: ms - (stall() - stalledAtOpen) });
    });
    // Bound the test: a socket the server never closes fails it instead of hanging it. The bound is in the
    // server's own time: a stall of this process pushes it back by as much (both timers wait on the same loop).
    let credited = 0;
    const arm = (ms: number) =>
      setTimeout(() => {
        if (s.destroyed) return;
        const owed = stall() - stalledAtOpen - credited;
        if (owed > 50) {
          credited += owed;
          arm(owed);
          return;
        }
        s.destroy();
        reject(new Error(`the server kept a slow socket open for ${Date.now() - opened} ms, ${Math.round(credited)} ms of it with this process stalled`));
      }, ms).unref();
    arm(HEADERS_TIMEOUT_MS + 3 * SLACK_MS);
  });
}

/** One more header line every second, never the blank line that ends them. */
const trickle = (s: Socket) => {
  s.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  let n = 0;
  const timer = setInterval(() => s.writable && s.write(`X-Slow-${n++}: a\r\n`), 1000);
  return () => clearInterval(timer);
};
const silent = () => () => {};

describe("slow-loris", () => {
  test("HTTP: trickled headers, a silent socket and 50 idle sockets are all closed by the header timeout; others are served meanwhile", async () => {
    const d = await startTracked();
    const port = Number(new URL(d.url).port);
    const started = Date.now();
    const held = Promise.all([hold(port, trickle), hold(port, silent), ...Array.from({ length: 50 }, () => hold(port, silent))]);
    // While they hang on, the daemon answers.
    for (let i = 0; i < 5; i++) expect((await raw(d.url, { path: "/health", keepAlive: false })).status).toBe(200);
    const closes = await held;
    const times = closes.map((c) => c.ms);
    const worst = Math.max(...closes.map((c) => c.ownMs));
    figure("slow-loris", { transport: "http", sockets: times.length, worstCloseMs: worst, wallMs: Date.now() - started });
    expect(Math.min(...times)).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(worst).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  }, 30_000);

  test("HTTPS: a socket that never starts the TLS handshake, and one that trickles headers after it, are closed as fast", async () => {
    const d = await startTracked({ env: { TLS: "true" } });
    const port = Number(new URL(d.url).port);
    const { connect: tlsConnect } = await import("node:tls");
    const trickledTls = new Promise<{ ms: number; ownMs: number }>((resolve) => {
      const opened = Date.now();
      const s = tlsConnect({ port, host: "127.0.0.1", rejectUnauthorized: false }, () => {
        s.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        const timer = setInterval(() => s.writable && s.write("X-Slow: a\r\n"), 1000);
        s.once("close", () => clearInterval(timer));
      });
      s.on("error", () => undefined);
      const stalledAtOpen = stall();
      s.once("close", () => resolve({ ms: Date.now() - opened, ownMs: Date.now() - opened - (stall() - stalledAtOpen) }));
    });
    const times = (await Promise.all([hold(port, silent), trickledTls])).map((c) => c.ownMs);
    figure("slow-loris", { transport: "https", sockets: times.length, worstCloseMs: Math.max(...times) });
    expect(Math.max(...times)).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  }, 30_000);
});
