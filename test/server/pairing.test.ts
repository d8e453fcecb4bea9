// Pairing over HTTP: one-time codes for device tokens, single use under a race, revocation closing live sockets, TLS pinning.
import { request as httpsRequest } from "node:https";
import { describe, expect, test } from "vitest";
import { DeviceListResponseSchema, ErrorBodySchema, PairResponseSchema, PairingCodeResponseSchema } from "../../src/protocol/index.js";
import { createPinnedAgent } from "../../src/tls/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";
import { connectWs } from "../helpers/ws-client.js";

const d = useTestDaemon();

/** A POST without a token unless one is given (pairing is what a phone does before it has one). */
const post = (path: string, body: unknown, token?: string) => d.rest("POST", path, body, { token: token ?? null });
const issue = async () => PairingCodeResponseSchema.parse((await post("/api/pairing-codes", {}, d.token)).body);
const pairingTokens: string[] = [];
const deviceTokens: string[] = [];

describe("pairing flow", () => {
  test("a pairing code from the QR becomes a device token that works for REST and WebSocket", async () => {
    const code = await issue();
    pairingTokens.push(code.pairingToken);
    expect(code.url).toMatch(/^http:\/\/[^/]+:\d+\/#pair=[A-Za-z0-9_-]{22}$/);
    expect(code.expiresAt).toBeGreaterThan(Date.now() + 9 * 60_000);
    const paired = await post("/api/pair", { pairingToken: code.pairingToken, deviceName: "Pixel 9" });
    expect(paired.status).toBe(200);
    const { deviceToken, deviceId } = PairResponseSchema.parse(paired.body);
    deviceTokens.push(deviceToken);
    expect(deviceToken).not.toBe(d.token);
    const info = await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${deviceToken}` } });
    expect(info.status).toBe(200);
    const ws = await connectWs(d.wsUrl, { protocols: ["claude-companion", `bearer.${deviceToken}`] });
    await ws.next("welcome");
    await ws.close();
    const list = DeviceListResponseSchema.parse((await (await fetch(`${d.url}/api/devices`, { headers: { authorization: `Bearer ${d.token}` } })).json()));
    expect(list.devices.find((x) => x.id === deviceId)).toMatchObject({ name: "Pixel 9" });
    expect(JSON.stringify(list)).not.toContain(deviceToken);
  });

  test("used and unknown pairing tokens get distinct 401 codes", async () => {
    const code = await issue();
    pairingTokens.push(code.pairingToken);
    expect((await post("/api/pair", { pairingToken: code.pairingToken, deviceName: "a" })).status).toBe(200);
    const used = await post("/api/pair", { pairingToken: code.pairingToken, deviceName: "b" });
    expect(used.status).toBe(401);
    expect(ErrorBodySchema.parse(used.body).data.code).toBe("PAIRING_TOKEN_USED");
    const unknown = await post("/api/pair", { pairingToken: "AAAAAAAAAAAAAAAAAAAAAA", deviceName: "c" });
    expect(unknown.body.data.code).toBe("PAIRING_TOKEN_UNKNOWN");
  });

  test("two concurrent exchanges of one code: exactly one wins", async () => {
    const code = await issue();
    pairingTokens.push(code.pairingToken);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => post("/api/pair", { pairingToken: code.pairingToken, deviceName: `racer ${i}` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401).map((r) => r.body.data.code)).toEqual(Array(4).fill("PAIRING_TOKEN_USED"));
  });

  test("a bad device name is refused without using up the code", async () => {
    const code = await issue();
    pairingTokens.push(code.pairingToken);
    const bad = await post("/api/pair", { pairingToken: code.pairingToken, deviceName: "bad\u0000name" });
    expect(bad.status).toBe(400);
    expect((await post("/api/pair", { pairingToken: code.pairingToken, deviceName: "good name" })).status).toBe(200);
  });

  test("a device token cannot issue pairing codes, rotate the master token or revoke devices", async () => {
    const device = deviceTokens[0]!;
    expect((await post("/api/pairing-codes", {}, device)).status).toBe(401);
    expect((await post("/api/token/rotate", {}, device)).status).toBe(401);
    const del = await fetch(`${d.url}/api/devices`, { method: "DELETE", headers: { authorization: `Bearer ${device}` } });
    expect(del.status).toBe(401);
  });

  test("revoking a device closes its open socket with 4401 within 1 s and its token stops working", async () => {
    const code = await issue();
    const { deviceToken, deviceId } = (await post("/api/pair", { pairingToken: code.pairingToken, deviceName: "to revoke" })).body;
    const ws = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${deviceToken}` } });
    await ws.next("welcome");
    const started = Date.now();
    const del = await fetch(`${d.url}/api/devices/${deviceId}`, { method: "DELETE", headers: { authorization: `Bearer ${d.token}` } });
    expect(del.status).toBe(200);
    expect(await ws.closed).toEqual({ code: 4401, reason: "UNAUTHORIZED" });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${deviceToken}` } })).status).toBe(401);
  });

  test("rotating the master token keeps paired devices working", async () => {
    const device = deviceTokens[0]!;
    const old = d.token;
    expect((await post("/api/token/rotate", {}, old)).status).toBe(200);
    const fresh = d.daemon.masterToken();
    expect(fresh).not.toBe(old);
    expect((await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${old}` } })).status).toBe(401);
    expect((await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${device}` } })).status).toBe(200);
    d.token = fresh;
  });

  test("pairing attempts are rate limited per address", async () => {
    const limited = await d.start();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await fetch(`${limited.url}/api/pair`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ pairingToken: `guess-${i}`, deviceName: "x" }),
        });
        statuses.push(r.status);
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });

  test("no token, device token or pairing token appears in the log", () => {
    const all = d.logs.join("\n");
    expect(all).toContain("device paired");
    for (const t of [d.token, ...deviceTokens, ...pairingTokens]) expect(all).not.toContain(t);
  });
});

describe("TLS with a self-signed certificate", () => {
  const getPinned = (url: string, fingerprint: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${url}/health`, { agent: createPinnedAgent(fingerprint) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });

  test("a client pinned to the fingerprint connects, one pinned to another is refused; the certificate survives a restart", async () => {
    const configDir = tempDir("cc-tls-");
    const first = await d.start({ configDir, env: { TLS: "true" } });
    let fingerprint: string;
    try {
      expect(first.url).toMatch(/^https:/);
      fingerprint = first.daemon.tls!.fingerprint;
      expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(await getPinned(first.url, fingerprint)).toBe(200);
      const wrong = fingerprint.replace(/^../, fingerprint.startsWith("00") ? "11" : "00");
      await expect(getPinned(first.url, wrong)).rejects.toThrow();
      const code = first.daemon.pairing.issue();
      expect(code.url).toMatch(new RegExp(`^https://.*#pair=[A-Za-z0-9_-]{22}&fp=${fingerprint}$`));
    } finally {
      await first.close();
    }
    const second = await d.start({ configDir, env: { TLS: "true" } });
    try {
      expect(second.daemon.tls!.fingerprint).toBe(fingerprint);
      expect(await getPinned(second.url, fingerprint)).toBe(200);
    } finally {
      await second.close();
    }
  });
});

