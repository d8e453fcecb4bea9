import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpsRequest, createServer, type RequestOptions, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { createSilentLogger } from "../../src/log.js";
import { ensureCertificate, type TlsCertificate } from "../../src/tls/certificate.js";
import {
  PIN_MISMATCH_CODE,
  checkPinnedFingerprint,
  connectPinned,
  createPinnedAgent,
  createPinnedConnection,
  pinnedTlsOptions,
} from "../../src/tls/pin.js";

const logger = createSilentLogger();
let dir: string;
let tls: TlsCertificate;
let other: TlsCertificate;
let server: Server;
let wss: WebSocketServer;
let port: number;
const requests: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cc-pin-"));
  tls = await ensureCertificate({ dir: join(dir, "server"), logger });
  other = await ensureCertificate({ dir: join(dir, "other"), logger });
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    requests.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ""}`);
    res.end("hello over tls");
  });
  wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => ws.send("welcome"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  wss?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function get(options: RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(options, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

describe("pinning by fingerprint", () => {
  test("an agent pinned to the fingerprint connects", async () => {
    const agent = createPinnedAgent(tls.fingerprint256);
    const res = await get({ host: "127.0.0.1", port, path: "/ok", agent, headers: { authorization: "Bearer secret-1" } });
    expect(res).toEqual({ status: 200, body: "hello over tls" });
    expect(requests).toContain("GET /ok auth=Bearer secret-1");
    agent.destroy();
  });

  test("an agent pinned to another fingerprint is refused before anything is sent", async () => {
    const agent = createPinnedAgent(other.fingerprint256);
    const before = requests.length;
    const err = await get({ host: "127.0.0.1", port, path: "/leak", agent, headers: { authorization: "Bearer secret-2" } }).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe(PIN_MISMATCH_CODE);
    expect((err as Error).message).toContain(tls.fingerprint256);
    expect(requests.length).toBe(before);
    agent.destroy();
  });

  test("a pin accepts any spelling of the fingerprint (lowercase, no colons)", async () => {
    const agent = createPinnedAgent(tls.fingerprint256.replace(/:/g, "").toLowerCase());
    expect((await get({ host: "127.0.0.1", port, path: "/", agent })).status).toBe(200);
    agent.destroy();
  });

  test("createPinnedConnection works with https.request and refuses another certificate", async () => {
    expect((await get({ host: "127.0.0.1", port, path: "/c", createConnection: createPinnedConnection(tls.fingerprint256) })).status).toBe(200);
    const err = await get({ host: "127.0.0.1", port, path: "/c", createConnection: createPinnedConnection(other.fingerprint256) }).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe(PIN_MISMATCH_CODE);
  });

  test("a ws client with createPinnedConnection connects; pinned to another certificate it fails", async () => {
    const ok = new WebSocket(`wss://127.0.0.1:${port}/ws`, { createConnection: createPinnedConnection(tls.fingerprint256) });
    const [message] = (await once(ok, "message")) as [Buffer];
    expect(message.toString()).toBe("welcome");
    ok.close();
    const bad = new WebSocket(`wss://127.0.0.1:${port}/ws`, { createConnection: createPinnedConnection(other.fingerprint256) });
    const [err] = (await once(bad, "error")) as [NodeJS.ErrnoException];
    expect(err.code).toBe(PIN_MISMATCH_CODE);
  });

  test("connectPinned hands over the socket only after the check", async () => {
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      connectPinned({ host: "127.0.0.1", port }, tls.fingerprint256, (err, s) => (err ? reject(err) : resolve(s!)));
    });
    expect(socket.getPeerCertificate().fingerprint256).toBe(tls.fingerprint256);
    socket.destroy();
  });

  test("with the certificate as ca, checkPinnedFingerprint accepts it and refuses another pin", async () => {
    const good = tlsConnect({ host: "127.0.0.1", port, ...pinnedTlsOptions(tls.cert) });
    await once(good, "secureConnect");
    expect(good.authorized).toBe(true);
    good.destroy();
    const bad = tlsConnect({ host: "127.0.0.1", port, ca: tls.cert, checkServerIdentity: checkPinnedFingerprint(other.fingerprint256) });
    const [err] = (await once(bad, "error")) as [NodeJS.ErrnoException];
    expect(err.code).toBe(PIN_MISMATCH_CODE);
  });

  test("why the helpers exist: rejectUnauthorized:false with checkServerIdentity alone does not pin", async () => {
    let called = false;
    const socket = tlsConnect({
      host: "127.0.0.1",
      port,
      rejectUnauthorized: false,
      checkServerIdentity: (...args) => {
        called = true;
        return checkPinnedFingerprint(other.fingerprint256)(...args);
      },
    });
    await once(socket, "secureConnect");
    // The connection is up although the pin does not match: Node skipped the check.
    expect(called).toBe(false);
    expect(socket.authorized).toBe(false);
    socket.destroy();
  });

  test("a pin that is not a fingerprint is a programming error", () => {
    expect(() => createPinnedAgent("nope")).toThrow(TypeError);
    expect(() => createPinnedConnection("AB:CD")).toThrow(TypeError);
    expect(() => checkPinnedFingerprint("")).toThrow(TypeError);
  });
});
