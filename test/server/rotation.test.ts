// Rotating the master token cuts what the old one opened: its sockets close with 4401 within 1 s, its pairing codes stop
// pairing; paired devices keep working; a token from AUTH_TOKEN is refused with 409 TOKEN_FROM_ENV.
import { describe, expect, test } from "vitest";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs } from "../helpers/ws-client.js";

const d = useTestDaemon({ lazy: true });

const call = async (path: string, token: string, body?: unknown) => {
  const res = await fetch(d.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const pair = async (pairingToken: string, deviceName: string) => {
  const res = await fetch(d.url + "/api/pair", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pairingToken, deviceName }) });
  return { status: res.status, body: (await res.json()) as any };
};

describe("POST /api/token/rotate", () => {
  test("closes every master-token socket with 4401 within 1 s and drops every outstanding pairing code; devices keep working", async () => {
    await d.start();
    const old = d.token;
    const device = (await pair((await call("/api/pairing-codes", old)).body.pairingToken, "Pixel")).body.deviceToken as string;
    const outstanding = [(await call("/api/pairing-codes", old)).body.pairingToken, (await call("/api/pairing-codes", old)).body.pairingToken];
    const masters = await Promise.all([1, 2].map(() => connectWs(d.wsUrl, { headers: { authorization: `Bearer ${old}` } })));
    const phone = await connectWs(d.wsUrl, { protocols: ["claude-companion", `bearer.${device}`] });
    await Promise.all([...masters, phone].map((c) => c.next("welcome")));

    const started = performance.now();
    expect((await call("/api/token/rotate", old)).status).toBe(200);
    for (const m of masters) expect(await m.closed).toEqual({ code: 4401, reason: "UNAUTHORIZED" });
    const closedMs = performance.now() - started;
    expect(closedMs).toBeLessThan(1000);

    for (const code of outstanding) {
      const r = await pair(code, "Late phone");
      expect(r.status).toBe(401);
      expect(r.body.data.code).toBe("PAIRING_TOKEN_UNKNOWN");
    }
    // The old token is refused, the new one and the paired device work.
    expect((await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${old}` } })).status).toBe(401);
    expect((await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${d.daemon.masterToken()}` } })).status).toBe(200);
    phone.send({ type: "ping", requestId: "p" });
    expect((await phone.next("pong")).requestId).toBe("p");
    await phone.close();
    // A code issued after the rotation pairs.
    expect((await pair((await call("/api/pairing-codes", d.daemon.masterToken())).body.pairingToken, "New phone")).status).toBe(200);
    console.log(`[figure] master sockets closed ${Math.round(closedMs)} ms after rotation`);
  });

  test("refuses with 409 TOKEN_FROM_ENV when the token comes from AUTH_TOKEN, and changes nothing", async () => {
    const token = "env-token-0123456789abcdef";
    await d.start({ env: { AUTH_TOKEN: token } });
    const ws = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${token}` } });
    await ws.next("welcome");
    const r = await call("/api/token/rotate", token);
    expect(r.status).toBe(409);
    expect(r.body.data.code).toBe("TOKEN_FROM_ENV");
    expect(d.daemon.masterToken()).toBe(token);
    expect((await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    ws.send({ type: "ping", requestId: "still" });
    expect((await ws.next("pong")).requestId).toBe("still");
    await ws.close();
  });
});
