// The daemon's REST and WebSocket APIs driving the REAL Claude Code CLI, offline against the fake Messages API.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { realClaudeInstalled } from "../helpers/fake-api.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";
import type { Frame, TestWsClient } from "../helpers/ws-client.js";

const LONG = 60_000;
const d = useRealCliDaemon(
  { env: { CLAUDE_ALLOWED_TOOLS: "Read", MAX_SESSIONS: "10" } },
  { api: { slowDelayMs: 50, slowCount: 60 }, timeoutMs: LONG },
);
const { open, rest } = d;

describe.skipIf(!realClaudeInstalled())("real Claude Code CLI over the WebSocket", () => {
  test("welcome, pong, streamStarted, streamData deltas and message, sessionUpdate, replayComplete, streamComplete", async () => {
    const c = await open();
    expect((await c.request({ type: "ping" }, "pong", LONG)).type).toBe("pong");
    const started = await c.request({ type: "streamStart", data: { prompt: "hello there" } }, "streamStarted", LONG);
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
    const sid = (await phone.request({ type: "streamStart", data: { prompt: `please WRITEFILE ${file}` } }, "streamStarted", LONG)).sessionId!;
    await tablet.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0 } }, "replayComplete", LONG);
    const req = await phone.next((f) => f.type === "permissionRequest" && f.sessionId === sid, LONG);
    expect(req.data).toMatchObject({ toolName: "Write", kind: "tool", input: { file_path: file } });
    await tablet.next((f) => f.type === "permissionRequest" && f.sessionId === sid, LONG);
    const ack = await phone.request({ type: "permission", sessionId: sid, data: { permissionId: req.data.permissionId, decision: "allow" } }, "ack", LONG);
    expect(ack.type).toBe("ack");
    const late = await tablet.request({ type: "permission", sessionId: sid, data: { permissionId: req.data.permissionId, decision: "deny" } }, "ack", LONG);
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
    const r = await c.request({ type: "ask", data: { prompt: "hello" } }, "askResponse", LONG);
    expect(r.type).toBe("askResponse");
    expect(r.data).toMatchObject({ result: "Hello from fake API.", isError: false });
    await c.close();
  }, LONG);

  test("a client cut off mid-stream resubscribes and receives the log exactly once", async () => {
    let c = await open();
    const sid = (await c.request({ type: "streamStart", data: { prompt: "please be SLOW" } }, "streamStarted", LONG)).sessionId!;
    const got: Frame[] = [];
    const take = (cl: TestWsClient) => cl.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
    await c.next((f) => f.type === "streamData" && f.sessionId === sid && f.data.kind === "delta" && (f.seq ?? 0) > 10, LONG);
    c.socket.terminate();
    await c.closed;
    got.push(...take(c));
    c = await open();
    await c.request({ type: "subscribe", sessionId: sid, data: { lastSeq: got.at(-1)!.seq } }, "replayComplete", LONG);
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);
    const log = (await rest("GET", `/api/sessions/${sid}/events?limit=5000`)).body.events as { seq: number }[];
    await c.next((f) => f.sessionId === sid && f.seq === log.at(-1)!.seq);
    got.push(...take(c));
    expect(got.map((f) => f.seq)).toEqual(log.map((e) => e.seq));
    await c.close();
  }, LONG);

  test("an API error (HTTP 500) ends the turn with an error result carrying the CLI's message", async () => {
    const c = await open();
    const sid = (await c.request({ type: "streamStart", data: { prompt: "ERROR500 please" } }, "streamStarted", LONG)).sessionId!;
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
    const pending = await vi.waitFor(
      async () => {
        const list = (await rest("GET", `/api/sessions/${id}`)).body.pendingPermissions as { permissionId: string }[];
        expect(list.length).toBeGreaterThan(0);
        return list;
      },
      { timeout: LONG / 2, interval: 50 },
    );
    const deny = await rest("POST", `/api/permission/${pending[0]!.permissionId}`, { decision: "deny", message: "not from the phone" });
    expect(deny.status).toBe(200);
    const events = await vi.waitFor(
      async () => {
        const list = (await rest("GET", `/api/sessions/${id}/events?limit=5000`)).body.events as { type: string; data: any }[];
        expect(list.some((e) => e.type === "streamComplete")).toBe(true);
        return list;
      },
      { timeout: LONG / 2, interval: 50 },
    );
    const toolResult = events.find((e) => e.type === "streamToolUse" && e.data.phase === "result");
    expect(toolResult?.data).toMatchObject({ isError: true, content: expect.stringContaining("not from the phone") });
    expect(existsSync(file)).toBe(false);
    expect(d.api.messageRequests().length).toBeGreaterThan(0);
  }, LONG);
});
