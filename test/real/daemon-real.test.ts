// The daemon's REST and WebSocket APIs driving the REAL Claude Code CLI, offline against the fake Messages API.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { connectWs, type Frame, type TestWsClient } from "../helpers/ws-client.js";

const LONG = 60_000;
let api: FakeAnthropicApi;
let d: TestDaemon;

beforeAll(async () => {
  api = await startFakeAnthropicApi({ slowDelayMs: 50, slowCount: 60 });
  d = await startTestDaemon({
    env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_ALLOWED_TOOLS: "Read", MAX_SESSIONS: "10", CLAUDE_MAX_RETRIES: "0" },
    childEnv: realClaudeEnv(api, tempDir("cc-real-cfg-")),
  });
}, LONG);
afterAll(async () => {
  await d?.close();
  await api?.close();
  cleanupTempDirs();
});

const open = async () => {
  const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
  await c.next("welcome");
  return c;
};
let rid = 0;
const request = async (c: TestWsClient, frame: { type: string; sessionId?: string; data?: unknown }, reply: string, timeout = LONG) => {
  const requestId = `r${++rid}`;
  c.send({ ...frame, requestId });
  return c.next((f) => f.requestId === requestId && (f.type === reply || f.type === "error"), timeout);
};
const rest = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(d.url + path, {
    method,
    headers: { authorization: `Bearer ${d.token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};

describe.skipIf(!realClaudeInstalled())("real Claude Code CLI over the WebSocket", () => {
  test("welcome, pong, streamStarted, streamData deltas and message, sessionUpdate, replayComplete, streamComplete", async () => {
    const c = await open();
    expect((await request(c, { type: "ping" }, "pong")).type).toBe("pong");
    const started = await request(c, { type: "streamStart", data: { prompt: "hello there" } }, "streamStarted");
    expect(started.type).toBe("streamStarted");
    const sid = started.sessionId!;
    await c.next((f) => f.type === "replayComplete" && f.sessionId === sid);
    const done = await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);
    expect(done.data).toMatchObject({ isError: false, result: "Hello from fake API." });
    const events = c.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
    const deltas = events.filter((f) => f.type === "streamData" && f.data.kind === "delta").map((f) => f.data.text).join("");
    expect(deltas).toBe("Hello from fake API.");
    expect(events.some((f) => f.type === "streamData" && f.data.kind === "message")).toBe(true);
    expect(events.filter((f) => f.type === "sessionUpdate").map((f) => f.data.state)).toEqual(expect.arrayContaining(["active", "idle"]));
    expect(events.map((f) => f.seq)).toEqual(events.map((_, i) => i + 1));
    expect(c.invalid).toEqual([]);
    await c.close();
  }, LONG);

  test("permissionRequest -> allow from one client -> permissionResolved for both, streamToolUse, the file exists; a late answer is refused", async () => {
    const phone = await open();
    const tablet = await open();
    const file = join(d.workDir, "real-allowed.txt");
    const sid = (await request(phone, { type: "streamStart", data: { prompt: `please WRITEFILE ${file}` } }, "streamStarted")).sessionId!;
    await request(tablet, { type: "subscribe", sessionId: sid, data: { lastSeq: 0 } }, "replayComplete");
    const req = await phone.next((f) => f.type === "permissionRequest" && f.sessionId === sid, LONG);
    expect(req.data).toMatchObject({ toolName: "Write", kind: "tool", input: { file_path: file } });
    await tablet.next((f) => f.type === "permissionRequest" && f.sessionId === sid, LONG);
    const ack = await request(phone, { type: "permission", sessionId: sid, data: { permissionId: req.data.permissionId, decision: "allow" } }, "ack");
    expect(ack.type).toBe("ack");
    const late = await request(tablet, { type: "permission", sessionId: sid, data: { permissionId: req.data.permissionId, decision: "deny" } }, "ack");
    expect(late).toMatchObject({ type: "error", data: { code: "PERMISSION_NOT_PENDING" } });
    for (const c of [phone, tablet]) {
      const resolved = await c.next((f) => f.type === "permissionResolved" && f.sessionId === sid);
      expect(resolved.data).toMatchObject({ decision: "allow", by: "client" });
    }
    const use = await phone.next((f) => f.type === "streamToolUse" && f.sessionId === sid && f.data.phase === "use", LONG);
    expect(use.data.name).toBe("Write");
    const result = await phone.next((f) => f.type === "streamToolUse" && f.sessionId === sid && f.data.phase === "result", LONG);
    expect(result.data.isError).toBe(false);
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);
    expect(existsSync(file)).toBe(true);
    expect(phone.invalid).toEqual([]);
    expect(tablet.invalid).toEqual([]);
    await phone.close();
    await tablet.close();
  }, LONG);

  test("ask -> askResponse", async () => {
    const c = await open();
    const r = await request(c, { type: "ask", data: { prompt: "hello" } }, "askResponse");
    expect(r.type).toBe("askResponse");
    expect(r.data).toMatchObject({ result: "Hello from fake API.", isError: false });
    await c.close();
  }, LONG);

  test("a client cut off mid-stream resubscribes and receives the log exactly once", async () => {
    let c = await open();
    const sid = (await request(c, { type: "streamStart", data: { prompt: "please be SLOW" } }, "streamStarted")).sessionId!;
    const got: Frame[] = [];
    const take = (cl: TestWsClient) => cl.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
    await c.next((f) => f.type === "streamData" && f.sessionId === sid && f.data.kind === "delta" && (f.seq ?? 0) > 10, LONG);
    c.socket.terminate();
    await c.closed;
    got.push(...take(c));
    c = await open();
    await request(c, { type: "subscribe", sessionId: sid, data: { lastSeq: got.at(-1)!.seq } }, "replayComplete");
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);
    const log = (await rest("GET", `/api/sessions/${sid}/events?limit=5000`)).body.events as { seq: number }[];
    await c.next((f) => f.sessionId === sid && f.seq === log.at(-1)!.seq);
    got.push(...take(c));
    expect(got.map((f) => f.seq)).toEqual(log.map((e) => e.seq));
    await c.close();
  }, LONG);

  test("an API error (HTTP 500) ends the turn with an error result carrying the CLI's message", async () => {
    const c = await open();
    const sid = (await request(c, { type: "streamStart", data: { prompt: "ERROR500 please" } }, "streamStarted")).sessionId!;
    const done = await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);
    expect(done.data.isError).toBe(true);
    expect(done.data.result).toContain("500");
    await c.close();
  }, LONG);
});

describe.skipIf(!realClaudeInstalled())("real Claude Code CLI over REST", () => {
  test("ask returns the result", async () => {
    const r = await rest("POST", "/api/ask", { prompt: "hello" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: "Hello from fake API.", isError: false, sessionId: expect.any(String) });
  }, LONG);

  test("stream/start, stream/:id, permission/:id deny: no file, the denial is reported", async () => {
    const start = await rest("POST", "/api/stream/start", {});
    expect(start.status).toBe(201);
    const id = start.body.sessionId as string;
    const file = join(d.workDir, "real-denied.txt");
    const send = await rest("POST", `/api/stream/${id}`, { prompt: `please WRITEFILE ${file}` });
    expect(send.status).toBe(202);
    let pending: { permissionId: string }[] = [];
    const until = Date.now() + LONG;
    while (!pending.length && Date.now() < until) {
      pending = (await rest("GET", `/api/sessions/${id}`)).body.pendingPermissions;
      if (!pending.length) await new Promise((r) => setTimeout(r, 50));
    }
    const deny = await rest("POST", `/api/permission/${pending[0]!.permissionId}`, { decision: "deny", message: "not from the phone" });
    expect(deny.status).toBe(200);
    let events: { type: string; data: any }[] = [];
    while (!events.some((e) => e.type === "streamComplete") && Date.now() < until) {
      events = (await rest("GET", `/api/sessions/${id}/events?limit=5000`)).body.events;
      await new Promise((r) => setTimeout(r, 50));
    }
    const toolResult = events.find((e) => e.type === "streamToolUse" && e.data.phase === "result");
    expect(toolResult?.data).toMatchObject({ isError: true, content: expect.stringContaining("not from the phone") });
    expect(existsSync(file)).toBe(false);
    expect(api.messageRequests().length).toBeGreaterThan(0);
  }, LONG);
});
