// A foreign page cannot lock the owner out (Fetch Metadata cross-site refused before auth), brute force stays throttled,
// and concurrent pairing attempts cannot slip past the pairing throttle.
import { request } from "node:http";
import { describe, expect, test } from "vitest";
import WebSocket from "ws";
import { useTestDaemon } from "../helpers/daemon.js";

const d = useTestDaemon({ lazy: true });

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(d.url + path, { headers });
  return { status: res.status, body: (await res.json()) as any };
};
/** What an <img src=http://daemon/api/info?token=x> on a foreign page sends. */
const IMG_FROM_FOREIGN_PAGE = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image" };

describe("Fetch Metadata", () => {
  test("12 cross-site <img> hits with a wrong token get 403 FORBIDDEN_ORIGIN and the right token still gets 200", async () => {
    await d.start();
    for (let i = 0; i < 12; i++) {
      const r = await get(`/api/info?token=x${i}`, IMG_FROM_FOREIGN_PAGE);
      expect(r.status).toBe(403);
      expect(r.body.data.code).toBe("FORBIDDEN_ORIGIN");
    }
    expect((await get("/api/info", { authorization: `Bearer ${d.token}` })).status).toBe(200);
    // Not counted as a failed authentication either: no warning was logged for them.
    expect(d.logs.filter((l) => l.includes("authentication failed"))).toEqual([]);
  });

  test("a cross-site request is refused even with the right token; same-origin, same-site and none are served", async () => {
    await d.start();
    const auth = { authorization: `Bearer ${d.token}` };
    expect((await get("/api/info", { ...auth, "sec-fetch-site": "cross-site" })).status).toBe(403);
    for (const site of ["same-origin", "same-site", "none"]) expect((await get("/api/info", { ...auth, "sec-fetch-site": site })).status).toBe(200);
  });

  test("a cross-site page from an origin in ALLOWED_ORIGINS is served", async () => {
    await d.start({ env: { ALLOWED_ORIGINS: "https://my-dashboard.example" } });
    const r = await get("/api/info", { authorization: `Bearer ${d.token}`, "sec-fetch-site": "cross-site", origin: "https://my-dashboard.example" });
    expect(r.status).toBe(200);
  });

  test("a cross-site WebSocket upgrade is refused with 403 before the token is checked", async () => {
    await d.start();
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${d.wsUrl}?token=wrong`, { headers: { "sec-fetch-site": "cross-site" } });
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.once("open", () => reject(new Error("opened")));
      ws.once("error", () => undefined);
    });
    expect(status).toBe(403);
    expect(d.logs.filter((l) => l.includes("authentication failed"))).toEqual([]);
  });

  test("brute force stays throttled: after 10 wrong tokens the right one gets 429 AUTH_RATE_LIMITED", async () => {
    await d.start();
    for (let i = 0; i < 10; i++) expect((await get("/api/info", { authorization: `Bearer wrong-${i}` })).status).toBe(401);
    const r = await get("/api/info", { authorization: `Bearer ${d.token}` });
    expect(r.status).toBe(429);
    expect(r.body.data.code).toBe("AUTH_RATE_LIMITED");
  });
});

/** A POST /api/pair whose body is sent only when `release` resolves: the request has started, its body is not read yet. */
function slowPair(url: string, release: Promise<void>, i: number): Promise<number> {
  const body = JSON.stringify({ pairingToken: `AAAAAAAAAAAAAAAAAAAA${String(i).padStart(2, "0")}`, deviceName: "x" });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/pair`, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.flushHeaders();
    void release.then(() => req.end(body));
  });
}

describe("pairing throttle", () => {
  test("30 concurrent wrong pairing attempts: at most 10 are tried, the rest get 429", async () => {
    await d.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const attempts = Array.from({ length: 30 }, (_, i) => slowPair(d.url, gate, i));
    // Let the headers of all 30 reach the handler before any body is sent (what made the old check-then-count
    // order pass them all). The assertion holds whatever the timing: each attempt is counted when it starts.
    await new Promise((r) => setTimeout(r, 300));
    release();
    const statuses = await Promise.all(attempts);
    const tried = statuses.filter((s) => s === 401).length;
    expect(tried).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBe(30 - tried);
    console.log(`[figure] 30 concurrent wrong pairing attempts: ${tried} tried (401), ${30 - tried} refused (429)`);
  });
});
