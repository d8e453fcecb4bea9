// The REST API against the fake CLI: every endpoint's happy path, a table of bad requests, abuse limits, CORS and Host checks.
import { mkdirSync, symlinkSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import {
  AskResponseSchema,
  ClaudeStatusSchema,
  ClaudeTestResponseSchema,
  ErrorBodySchema,
  SessionInfoSchema,
  SessionListResponseSchema,
} from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

const d = useTestDaemon({
  env: { CLAUDE_ALLOWED_TOOLS: "Read", MAX_SESSIONS: "20" },
  limits: { requestsPerMinute: 10_000 },
  setup: (t) => mkdirSync(join(t.workDir, "sub")),
});

const auth = () => ({ authorization: `Bearer ${d.token}` });
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(d.url + path, {
    method,
    headers: { ...auth(), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
const waitForState = (id: string, state: string) =>
  vi.waitFor(
    async () => {
      const r = await call("GET", `/api/sessions/${id}`);
      expect(r.body.state, `session ${id} never reached ${state}`).toBe(state);
      return r.body;
    },
    { timeout: 10_000, interval: 25 },
  );

describe("happy paths", () => {
  test("stream/start -> stream/:id -> sessions -> events -> interrupt -> delete", async () => {
    const start = await call("POST", "/api/stream/start", { prompt: "echo first", workingDirectory: join(d.workDir, "sub") });
    expect(start.status).toBe(201);
    const info = SessionInfoSchema.parse(start.body);
    expect(info.workingDirectory).toBe(join(d.workDir, "sub"));
    await waitForState(info.sessionId, "idle");

    const send = await call("POST", `/api/stream/${info.sessionId}`, { prompt: "echo second" });
    expect(send.status).toBe(202);
    expect(send.body).toMatchObject({ accepted: true, queuePosition: 0, promptId: expect.any(String) });
    await waitForState(info.sessionId, "idle");

    const list = SessionListResponseSchema.parse((await call("GET", "/api/sessions")).body);
    expect(list.sessions.find((s) => s.sessionId === info.sessionId)).toMatchObject({ messageCount: 2, state: "idle" });

    const all = (await call("GET", `/api/sessions/${info.sessionId}/events`)).body;
    expect(all.events.length).toBeGreaterThan(4);
    const after = (await call("GET", `/api/sessions/${info.sessionId}/events?after=3&limit=2`)).body;
    expect(after.events.map((e: { seq: number }) => e.seq)).toEqual([4, 5]);
    expect(after).toMatchObject({ gap: false, nextAfter: 5, hasMore: true });
    expect(all.events.slice(3, 5)).toEqual(after.events);
    const results = all.events.filter((e: { type: string }) => e.type === "streamComplete");
    expect(results.map((e: { data: { result: string } }) => e.data.result).join(" ")).toContain("second");

    const intr = await call("POST", `/api/stream/${info.sessionId}/interrupt`);
    expect(intr.status).toBe(200);
    const del = await call("DELETE", `/api/stream/${info.sessionId}`);
    expect(del.status).toBe(200);
    expect((await call("GET", `/api/sessions/${info.sessionId}`)).body.state).toBe("closed");
    expect((await call("POST", `/api/stream/${info.sessionId}`, { prompt: "x" })).body.data.code).toBe("SESSION_CLOSED");
  });

  test("ask waits for the result", async () => {
    const r = await call("POST", "/api/ask", { prompt: "echo the answer is 42" });
    expect(r.status).toBe(200);
    const body = AskResponseSchema.parse(r.body);
    expect(body.result).toContain("42");
    expect(body.isError).toBe(false);
  });

  test("permission/:id answers a pending request; a second answer is 409", async () => {
    const start = await call("POST", "/api/stream/start", { prompt: "permission rest.txt" });
    const id = start.body.sessionId;
    const pending = await vi.waitFor(
      async () => {
        const list = (await call("GET", `/api/sessions/${id}`)).body.pendingPermissions as { permissionId: string }[];
        expect(list.length).toBeGreaterThan(0);
        return list;
      },
      { timeout: 10_000, interval: 25 },
    );
    const pid = pending[0]!.permissionId;
    const ok = await call("POST", `/api/permission/${pid}`, { decision: "allow" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ permissionId: pid, sessionId: id, decision: "allow" });
    const again = await call("POST", `/api/permission/${pid}`, { decision: "deny" });
    expect(again.status).toBe(409);
    expect(again.body.data.code).toBe("PERMISSION_NOT_PENDING");
    await waitForState(id, "idle");
  });

  test("claude status and test", async () => {
    const s = ClaudeStatusSchema.parse((await call("GET", "/api/claude/status")).body);
    expect(s).toMatchObject({ available: true, version: "2.1.332", checking: false });
    const t = ClaudeTestResponseSchema.parse((await call("POST", "/api/claude/test")).body);
    expect(t.ok).toBe(true);
    expect(t.latencyMs).toBeGreaterThan(0);
  });

  test("health counts live sessions", async () => {
    const h = (await call("GET", "/health")).body;
    expect(h.sessions.active).toBeGreaterThanOrEqual(1);
  });
});

const UUID = "00000000-0000-4000-8000-000000000000";
const big = "x".repeat(100_001);
/** Base64 text of the given length. */
const png = (chars: number) => "A".repeat(chars);

describe("bad requests", () => {
  test.each<[string, string, string, unknown, number, string, string | null, Record<string, string>?]>([
    ["stream/start: not JSON", "POST", "/api/stream/start", "{nope", 400, "BAD_REQUEST", null],
    ["stream/start: wrong content type", "POST", "/api/stream/start", "prompt=x", 415, "UNSUPPORTED_MEDIA_TYPE", null, { "content-type": "text/plain" }],
    ["stream/start: prompt not a string", "POST", "/api/stream/start", { prompt: 5 }, 400, "BAD_REQUEST", "body.prompt"],
    ["stream/start: empty prompt", "POST", "/api/stream/start", { prompt: "" }, 400, "BAD_REQUEST", "body.prompt"],
    ["stream/start: blank prompt", "POST", "/api/stream/start", { prompt: " \n " }, 400, "BAD_REQUEST", "body.prompt"],
    ["stream/start: prompt too long", "POST", "/api/stream/start", { prompt: big }, 400, "BAD_REQUEST", "body.prompt"],
    ["stream/start: unknown field", "POST", "/api/stream/start", { prompt: "hi", yolo: true }, 400, "BAD_REQUEST", "body"],
    ["stream/start: bad permission mode", "POST", "/api/stream/start", { permissionMode: "yolo" }, 400, "BAD_REQUEST", "body.permissionMode"],
    ["stream/start: bad model", "POST", "/api/stream/start", { model: "rm -rf /" }, 400, "BAD_REQUEST", "body.model"],
    ["stream/start: resume not a UUID", "POST", "/api/stream/start", { resume: "abc" }, 400, "BAD_REQUEST", "body.resume"],
    ["stream/start: dir outside roots", "POST", "/api/stream/start", { workingDirectory: "/etc" }, 403, "FORBIDDEN_PATH", null],
    ["stream/start: dir with ..", "POST", "/api/stream/start", { workingDirectory: "sub/../../.." }, 403, "FORBIDDEN_PATH", null],
    ["stream/start: dir missing", "POST", "/api/stream/start", { workingDirectory: "nope-not-here" }, 403, "FORBIDDEN_PATH", null],
    ["stream/start: array body", "POST", "/api/stream/start", [1, 2], 400, "BAD_REQUEST", "body"],
    ["stream/start: images not an array", "POST", "/api/stream/start", { prompt: "hi", images: "x" }, 400, "BAD_REQUEST", "body.images"],
    ["stream/:id: not a UUID", "POST", "/api/stream/123", { prompt: "hi" }, 400, "BAD_REQUEST", "params"],
    ["stream/:id: unknown session", "POST", `/api/stream/${UUID}`, { prompt: "hi" }, 404, "SESSION_NOT_FOUND", null],
    ["stream/:id: no body", "POST", `/api/stream/${UUID}`, undefined, 400, "BAD_REQUEST", "body"],
    ["stream/:id: prompt missing", "POST", `/api/stream/${UUID}`, { text: "hi" }, 400, "BAD_REQUEST", "body"],
    ["stream/:id: bad image type", "POST", `/api/stream/${UUID}`, { prompt: "hi", images: [{ mediaType: "image/bmp", data: "AAAA" }] }, 400, "BAD_REQUEST", "body.images.0.mediaType"],
    ["stream/:id: image not base64", "POST", `/api/stream/${UUID}`, { prompt: "hi", images: [{ mediaType: "image/png", data: "!!!" }] }, 400, "BAD_REQUEST", "body.images.0.data"],
    ["stream/:id: images over 10 MiB", "POST", `/api/stream/${UUID}`, { prompt: "hi", images: [{ mediaType: "image/png", data: png(6 << 20) }, { mediaType: "image/png", data: png(5 << 20) }] }, 400, "BAD_REQUEST", "body.images"],
    ["stream/:id: body over 12 MiB", "POST", `/api/stream/${UUID}`, { prompt: "hi", images: [{ mediaType: "image/png", data: png(13 << 20) }] }, 413, "PAYLOAD_TOO_LARGE", null],
    ["stream/:id/interrupt: not a UUID", "POST", "/api/stream/zzz/interrupt", undefined, 400, "BAD_REQUEST", "params"],
    ["stream/:id/interrupt: unknown", "POST", `/api/stream/${UUID}/interrupt`, undefined, 404, "SESSION_NOT_FOUND", null],
    ["DELETE stream/:id: not a UUID", "DELETE", "/api/stream/zzz", undefined, 400, "BAD_REQUEST", "params"],
    ["DELETE stream/:id: unknown", "DELETE", `/api/stream/${UUID}`, undefined, 404, "SESSION_NOT_FOUND", null],
    ["sessions/:id: not a UUID", "GET", "/api/sessions/abc", undefined, 400, "BAD_REQUEST", "params"],
    ["sessions/:id: unknown", "GET", `/api/sessions/${UUID}`, undefined, 404, "SESSION_NOT_FOUND", null],
    ["events: unknown session", "GET", `/api/sessions/${UUID}/events`, undefined, 404, "SESSION_NOT_FOUND", null],
    ["ask: no body", "POST", "/api/ask", undefined, 400, "BAD_REQUEST", "body"],
    ["ask: empty prompt", "POST", "/api/ask", { prompt: "" }, 400, "BAD_REQUEST", "body.prompt"],
    ["ask: timeout too small", "POST", "/api/ask", { prompt: "hi", timeoutMs: 5 }, 400, "BAD_REQUEST", "body.timeoutMs"],
    ["ask: timeout not a number", "POST", "/api/ask", { prompt: "hi", timeoutMs: "soon" }, 400, "BAD_REQUEST", "body.timeoutMs"],
    ["ask: dir outside roots", "POST", "/api/ask", { prompt: "hi", workingDirectory: "/" }, 403, "FORBIDDEN_PATH", null],
    ["permission: bad decision", "POST", "/api/permission/abc", { decision: "maybe" }, 400, "BAD_REQUEST", "body.decision"],
    ["permission: no body", "POST", "/api/permission/abc", undefined, 400, "BAD_REQUEST", "body"],
    ["permission: bad id", "POST", "/api/permission/a%20b", { decision: "allow" }, 400, "BAD_REQUEST", "params.id"],
    ["permission: unknown id", "POST", "/api/permission/abc", { decision: "allow" }, 404, "PERMISSION_NOT_FOUND", null],
    ["permission: updatedInput not an object", "POST", "/api/permission/abc", { decision: "allow", updatedInput: 3 }, 400, "BAD_REQUEST", "body.updatedInput"],
    ["permission: unknown field", "POST", "/api/permission/abc", { decision: "allow", hack: 1 }, 400, "BAD_REQUEST", "body"],
    ["unknown route", "GET", "/api/unknown", undefined, 404, "NOT_FOUND", null],
    ["wrong method", "PUT", "/api/sessions", undefined, 404, "NOT_FOUND", null],
  ])("%s", async (_name, method, path, body, status, code, detailPath, headers = {}) => {
    const r = await call(method, path, body, headers);
    expect(r.status).toBe(status);
    const err = ErrorBodySchema.parse(r.body);
    expect(err.data.code).toBe(code);
    if (detailPath) expect(String(err.data.details.path)).toMatch(new RegExp(`^${detailPath.replace(/\./g, "\\.")}`));
  });

  test("events query: bad after/limit and unknown params", async () => {
    const id = (await call("POST", "/api/stream/start", {})).body.sessionId;
    for (const q of ["after=-1", "after=abc", "limit=0", "limit=100000", "foo=1"]) {
      const r = await call("GET", `/api/sessions/${id}/events?${q}`);
      expect(r.status, q).toBe(400);
      expect(String(r.body.data.details.path)).toMatch(/^query/);
    }
    await call("DELETE", `/api/stream/${id}`);
  });

  test("a symlink out of the root is refused", async () => {
    const outside = tempDir("cc-outside-");
    symlinkSync(outside, join(d.workDir, "escape"));
    const r = await call("POST", "/api/stream/start", { workingDirectory: join(d.workDir, "escape") });
    expect(r.status).toBe(403);
    expect(r.body.data).toMatchObject({ code: "FORBIDDEN_PATH", details: { reason: "it is outside the allowed roots" } });
  });
});

function rawRequest(path: string, headers: Record<string, string>, method = "GET"): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(d.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method, headers, setHost: false }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Host, Origin and CORS", () => {
  test.each([
    ["an IP literal", "127.0.0.1:1234", 200],
    ["localhost", "localhost", 200],
    ["IPv6 literal", "[::1]:80", 200],
    ["a rebinding name", "evil.example.com", 421],
    ["no Host header (Node refuses it before us)", "", 400],
  ])("Host %s", async (_n, host, status) => {
    const r = await rawRequest("/health", host ? { host } : {});
    expect(r.status).toBe(status);
    if (status === 421) expect(JSON.parse(r.body).data.code).toBe("MISDIRECTED_HOST");
  });

  test("preflight from the server's own origin is answered; a foreign origin gets 403", async () => {
    const own = new URL(d.url).origin;
    const ok = await rawRequest("/api/sessions", { host: new URL(d.url).host, origin: own, "access-control-request-method": "POST" }, "OPTIONS");
    expect(ok.status).toBe(204);
    expect(ok.headers["access-control-allow-origin"]).toBe(own);
    expect(ok.headers["access-control-allow-headers"]).toContain("Authorization");
    const evil = await rawRequest("/api/sessions", { host: new URL(d.url).host, origin: "http://evil.example.com", "access-control-request-method": "POST" }, "OPTIONS");
    expect(evil.status).toBe(403);
    expect(evil.headers["access-control-allow-origin"]).toBeUndefined();
    const evilGet = await rawRequest("/api/sessions", { host: new URL(d.url).host, origin: "http://evil.example.com", ...auth() });
    expect(evilGet.status).toBe(403);
    expect(JSON.parse(evilGet.body).data.code).toBe("FORBIDDEN_ORIGIN");
  });

  test("security headers on every response", async () => {
    const r = await call("GET", "/api/sessions");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("referrer-policy")).toBe("no-referrer");
    expect(r.headers.get("cache-control")).toBe("no-store");
  });
});

describe("abuse limits", () => {
  test("rate limit per address: 429 with Retry-After", async () => {
    const limited = await d.start({ limits: { requestsPerMinute: 5 } });
    try {
      const statuses: number[] = [];
      let retry: string | null = null;
      for (let i = 0; i < 7; i++) {
        const r = await fetch(`${limited.url}/api/info`, { headers: { authorization: `Bearer ${limited.token}` } });
        statuses.push(r.status);
        if (r.status === 429) retry = r.headers.get("retry-after");
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      expect(Number(retry)).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  test("failed authentications: after 10, even the right token gets 429 (REST and WS)", async () => {
    const guarded = await d.start();
    try {
      for (let i = 0; i < 10; i++) {
        expect((await fetch(`${guarded.url}/api/info`, { headers: { authorization: "Bearer wrong-token-guess" } })).status).toBe(401);
      }
      const blocked = await fetch(`${guarded.url}/api/info`, { headers: { authorization: `Bearer ${guarded.token}` } });
      expect(blocked.status).toBe(429);
      expect(((await blocked.json()) as { data: { code: string } }).data.code).toBe("AUTH_RATE_LIMITED");
      const { connectWs } = await import("../helpers/ws-client.js");
      await expect(connectWs(guarded.wsUrl, { headers: { authorization: `Bearer ${guarded.token}` } })).rejects.toMatchObject({ status: 429 });
      expect((await fetch(`${guarded.url}/health`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
