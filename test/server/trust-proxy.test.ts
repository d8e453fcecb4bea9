// --trust-proxy: X-Forwarded-For names the client only when the peer is a trusted proxy; PUBLIC_URL's name passes Host and Origin checks.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { createClientAddressResolver } from "../../src/server/client-address.js";
import { useTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { startFakeNtfy } from "../helpers/fake-ntfy.js";

const req = (peer: string, xff?: string | string[]) => ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { "x-forwarded-for": xff } }) as unknown as IncomingMessage;

describe("createClientAddressResolver", () => {
  test.each([
    ["no trusted proxy: the header is ignored", [], "127.0.0.1", "203.0.113.7", "127.0.0.1"],
    ["trusted peer: the address it appended", ["127.0.0.1"], "127.0.0.1", "203.0.113.7", "203.0.113.7"],
    ["a client-sent entry left of the proxy's is not believed", ["127.0.0.1"], "127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"],
    ["a chain of trusted proxies is walked", ["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "203.0.113.7, 10.1.2.3", "203.0.113.7"],
    ["an untrusted peer's header changes nothing", ["10.0.0.0/8"], "192.0.2.1", "203.0.113.7", "192.0.2.1"],
    ["a hop that is not an address stops at the proxy", ["127.0.0.1"], "127.0.0.1", "not-an-ip", "127.0.0.1"],
    ["IPv4-mapped peers match IPv4 rules", ["127.0.0.0/8"], "::ffff:127.0.0.1", "203.0.113.7", "203.0.113.7"],
    ["IPv6 blocks", ["fd00::/8"], "fd00::5", "2001:db8::9", "2001:db8::9"],
    ["repeated headers are one list", ["127.0.0.1"], "127.0.0.1", ["198.51.100.1", "203.0.113.7"], "203.0.113.7"],
    ["trusted peer without a header is itself", ["127.0.0.1"], "127.0.0.1", undefined, "127.0.0.1"],
  ])("%s", (_name, trust, peer, xff, expected) => {
    expect(createClientAddressResolver(trust as string[])(req(peer, xff as string | undefined))).toBe(expected);
  });
});

const daemons = useTestDaemon({ lazy: true });

/** fetch cannot set Host: a plain http.request can. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(`${url}/health`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on("error", reject);
    r.end();
  });
}

async function failAuth(url: string, xff: string) {
  return (await fetch(`${url}/api/info`, { headers: { Authorization: "Bearer wrong-token-0123456789", "X-Forwarded-For": xff } })).status;
}

async function pairDevice(t: TestDaemon) {
  const code = t.daemon.pairing.issue("lan");
  const res = await fetch(`${t.url}/api/pair`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pairingToken: code.pairingToken, deviceName: "phone" }) });
  return ((await res.json()) as { deviceToken: string }).deviceToken;
}

async function lastAddress(t: TestDaemon) {
  const res = await fetch(`${t.url}/api/devices`, { headers: { Authorization: `Bearer ${t.token}` } });
  return ((await res.json()) as { devices: { lastAddress: string | null }[] }).devices[0]!.lastAddress;
}

describe("the daemon", () => {
  test("without TRUST_PROXY a spoofed X-Forwarded-For changes nothing: failures count against the peer, the device's address is the peer", async () => {
    const d = await daemons.start({ limits: { authFailuresPerMinute: 3 } });
    const token = await pairDevice(d);
    await fetch(`${d.url}/api/info`, { headers: { Authorization: `Bearer ${token}`, "X-Forwarded-For": "203.0.113.50" } });
    expect(await lastAddress(d)).toBe("127.0.0.1");
    for (const n of [1, 2, 3]) expect(await failAuth(d.url, `203.0.113.${n}`)).toBe(401);
    expect(await failAuth(d.url, "203.0.113.99")).toBe(429);
  });

  test("with TRUST_PROXY=127.0.0.1 limits and the device's last address are per forwarded client", async () => {
    const d = await daemons.start({ env: { TRUST_PROXY: "127.0.0.1" }, limits: { authFailuresPerMinute: 3 } });
    for (const _ of [1, 2, 3]) expect(await failAuth(d.url, "203.0.113.1")).toBe(401);
    expect(await failAuth(d.url, "203.0.113.1")).toBe(429);
    // Another client behind the same proxy is not locked out by the first.
    expect(await failAuth(d.url, "203.0.113.2")).toBe(401);
    const token = await pairDevice(d); // from the proxy itself (no header): not locked out either
    await fetch(`${d.url}/api/info`, { headers: { Authorization: `Bearer ${token}`, "X-Forwarded-For": "198.51.100.1, 203.0.113.50" } });
    expect(await lastAddress(d)).toBe("203.0.113.50");
  });

  test("PUBLIC_URL: its name passes the Host check and its origin the CORS check; without it both are refused", async () => {
    const host = "companion.example.com";
    const probe = async (t: TestDaemon) => {
      const h = await statusWithHost(t.url, host);
      const o = await fetch(`${t.url}/api/info`, { headers: { Authorization: `Bearer ${t.token}`, Origin: `https://${host}` } });
      return { host: h, origin: o.status, cors: o.headers.get("access-control-allow-origin") };
    };
    expect(await probe(await daemons.start())).toEqual({ host: 421, origin: 403, cors: null });
    const d = await daemons.start({ env: { PUBLIC_URL: `https://${host}`, TRUST_PROXY: "127.0.0.1" } });
    expect(await probe(d)).toEqual({ host: 200, origin: 200, cors: `https://${host}` });
    const code = d.daemon.pairing.issue("public");
    expect(code.url).toMatch(/^https:\/\/companion\.example\.com(:443)?\/#pair=/);
    expect(code.fingerprint).toBeNull();
  });

  test("PUBLIC_URL: notification links point at it, not at the LAN address", async () => {
    const hook = await startFakeNtfy();
    try {
      const d = await daemons.start({ env: { PUBLIC_URL: "https://companion.example.com" } });
      const auth = { Authorization: `Bearer ${d.token}`, "Content-Type": "application/json" };
      const add = await fetch(`${d.url}/api/notify/channels`, { method: "POST", headers: auth, body: JSON.stringify({ type: "webhook", url: `${hook.url}/hook` }) });
      expect(add.status).toBe(201);
      expect((await fetch(`${d.url}/api/notify/test`, { method: "POST", headers: auth })).status).toBe(200);
      const [got] = await hook.waitFor((r) => r.path === "/hook");
      expect(got!.body).toContain("https://companion.example.com/");
      expect(got!.body).not.toContain(d.url);
    } finally {
      await hook.close();
    }
  });

  test.each([
    ["TRUST_PROXY", "10.0.0.0/33"],
    ["TRUST_PROXY", "proxy.local"],
    ["PUBLIC_URL", "https://companion.example.com/path"],
    ["PUBLIC_URL", "ftp://companion.example.com"],
  ])("%s=%s is refused before listening", async (name, value) => {
    await expect(daemons.start({ env: { [name]: value } })).rejects.toThrow(name);
  });
});
