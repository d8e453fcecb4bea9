// The WebSocket session API against the fake CLI: streaming, permissions across two clients, replay by seq.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs, type Frame, type TestWsClient } from "../helpers/ws-client.js";

const d = useTestDaemon({ env: { CLAUDE_ALLOWED_TOOLS: "Read", MAX_SESSIONS: "20" } });

const open = async () => {
  const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
  await c.next("welcome");
  return c;
};
const eventsOf = (c: TestWsClient, sessionId: string) => c.frames.filter((f) => f.sessionId === sessionId && typeof f.seq === "number");
const restEvents = async (sessionId: string) =>
  ((await (await fetch(`${d.url}/api/sessions/${sessionId}/events?limit=5000`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as {
    events: { seq: number; type: string }[];
  }).events;

describe("streaming over WebSocket", () => {
  test("streamStart with a prompt streams deltas in order and completes; REST history equals the stream", async () => {
    const c = await open();
    const started = await c.request({ type: "streamStart", data: { prompt: "reply please" } }, "streamStarted");
    expect(started.type).toBe("streamStarted");
    const sid = started.sessionId!;
    expect(started.data).toMatchObject({ sessionId: sid, workingDirectory: d.workDir });
    const done = await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    expect(done.data).toMatchObject({ isError: false, result: expect.any(String) });
    const events = eventsOf(c, sid);
    const seqs = events.map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const text = events.filter((f) => f.type === "streamData" && f.data.kind === "delta").map((f) => f.data.text).join("");
    expect(text.length).toBeGreaterThan(0);
    expect(events.some((f) => f.type === "userMessage" && f.data.text === "reply please")).toBe(true);
    expect((await restEvents(sid)).map((e) => e.seq)).toEqual(seqs);
    expect(c.invalid).toEqual([]);
    await c.close();
  });

  test("streamSend while a turn runs is queued with its position, then runs", async () => {
    const c = await open();
    const started = await c.request({ type: "streamStart", data: { prompt: "slow" } }, "streamStarted");
    const sid = started.sessionId!;
    await c.next((f) => f.type === "streamData" && f.sessionId === sid);
    const ack = await c.request({ type: "streamSend", sessionId: sid, data: { prompt: "echo second" } }, "ack");
    expect(ack.data).toMatchObject({ command: "streamSend", queuePosition: 1 });
    const interrupted = await c.request({ type: "interrupt", sessionId: sid }, "ack");
    expect(interrupted.data.command).toBe("interrupt");
    const first = await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    expect(first.data.isError).toBe(true);
    // The queue was dropped by the interrupt: a new prompt runs in the same process.
    await c.request({ type: "streamSend", sessionId: sid, data: { prompt: "echo third" } }, "ack");
    const third = await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    expect(third.data.result).toContain("third");
    await c.close();
  });

  test("bad session frames get documented errors and the socket stays open", async () => {
    const c = await open();
    expect((await c.request({ type: "streamSend", sessionId: "not-a-uuid", data: { prompt: "x" } }, "ack")).data.code).toBe("BAD_REQUEST");
    const unknown = await c.request({ type: "subscribe", sessionId: "00000000-0000-4000-8000-000000000000", data: { lastSeq: 0 } }, "replayComplete");
    expect(unknown.data.code).toBe("SESSION_NOT_FOUND");
    const empty = await c.request({ type: "streamStart", data: { prompt: "   " } }, "streamStarted");
    expect(empty.data).toMatchObject({ code: "BAD_REQUEST", details: { path: "data.prompt" } });
    const extra = await c.request({ type: "streamStart", data: { prompt: "hi", evil: true } }, "streamStarted");
    expect(extra.data.code).toBe("BAD_REQUEST");
    const outside = await c.request({ type: "streamStart", data: { workingDirectory: "/etc" } }, "streamStarted");
    expect(outside.data.code).toBe("FORBIDDEN_PATH");
    expect((await c.request({ type: "ping" }, "pong")).type).toBe("pong");
    expect(c.invalid).toEqual([]);
    await c.close();
  });
});

describe("permissions with two clients", () => {
  test("both see the request; the first answer wins, the other gets permissionResolved, a late answer PERMISSION_NOT_PENDING", async () => {
    const phone = await open();
    const tablet = await open();
    const started = await phone.request({ type: "streamStart", data: { prompt: "permission allowed.txt" } }, "streamStarted");
    const sid = started.sessionId!;
    const sub = await tablet.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0 } }, "replayComplete");
    expect(sub.data.gap).toBe(false);
    const req1 = await phone.next((f) => f.type === "permissionRequest" && f.sessionId === sid);
    const req2 = await tablet.next((f) => f.type === "permissionRequest" && f.sessionId === sid);
    expect(req2.seq).toBe(req1.seq);
    expect(req1.data).toMatchObject({ toolName: "Write", kind: "tool" });
    const permissionId = req1.data.permissionId as string;

    const [a, b] = await Promise.all([
      phone.request({ type: "permission", sessionId: sid, data: { permissionId, decision: "allow" } }, "ack"),
      tablet.request({ type: "permission", sessionId: sid, data: { permissionId, decision: "deny" } }, "ack"),
    ]);
    const winners = [a, b].filter((f) => f.type === "ack");
    const losers = [a, b].filter((f) => f.type === "error");
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.data.code).toBe("PERMISSION_NOT_PENDING");
    for (const c of [phone, tablet]) {
      const resolved = await c.next((f) => f.type === "permissionResolved" && f.sessionId === sid);
      expect(resolved.data).toMatchObject({ permissionId, decision: "allow", by: "client" });
    }
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    expect(existsSync(join(d.workDir, "allowed.txt"))).toBe(true);
    await phone.close();
    await tablet.close();
  });

  test("deny: the file is not written and the denial is reported; a resubscribing client gets pending requests", async () => {
    const c = await open();
    const sid = (await c.request({ type: "streamStart", data: { prompt: "permission denied.txt" } }, "streamStarted")).sessionId!;
    const req = await c.next((f) => f.type === "permissionRequest" && f.sessionId === sid);
    const late = await open();
    const sub = await late.request({ type: "subscribe", sessionId: sid, data: { lastSeq: req.seq } }, "replayComplete");
    expect(sub.data.pendingPermissions.map((p: { permissionId: string }) => p.permissionId)).toEqual([req.data.permissionId]);
    await late.request({ type: "permission", sessionId: sid, data: { permissionId: req.data.permissionId, decision: "deny", message: "no thanks" } }, "ack");
    const result = await c.next((f) => f.type === "streamToolUse" && f.sessionId === sid && f.data.phase === "result");
    expect(result.data.isError).toBe(true);
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    expect(existsSync(join(d.workDir, "denied.txt"))).toBe(false);
    await c.close();
    await late.close();
  });
});

describe("nothing lost, nothing twice", () => {
  test("a session streaming 2 000 deltas; the client is cut off three times and resubscribes: it receives the log exactly once", async () => {
    let c = await open();
    const sid = (await c.request({ type: "streamStart", data: { prompt: "rate 1000 2000" } }, "streamStarted")).sessionId!;
    const received: Frame[] = [];
    let lastSeq = 0;
    const collect = (client: TestWsClient) =>
      client.socket.on("message", (raw) => {
        const f = JSON.parse(raw.toString()) as Frame;
        if (f.sessionId === sid && typeof f.seq === "number") {
          received.push(f);
          lastSeq = f.seq;
        }
      });
    // The first socket subscribed through streamStart; count what came with it so far.
    for (const f of eventsOf(c, sid)) {
      received.push(f);
      lastSeq = f.seq!;
    }
    collect(c);
    // Seeded cut points, spread over the stream, counted in tokens (`ts=…` each): deltas are coalesced, so
    // how many events carry them depends on timing.
    const tokens = () => received.reduce((n, f) => n + (f.type === "streamData" && f.data.kind === "delta" ? (f.data.text as string).split("ts=").length - 1 : 0), 0);
    const cuts = [311, 977, 1603];
    for (const cut of cuts) {
      await vi.waitFor(() => expect(tokens()).toBeGreaterThanOrEqual(cut), { timeout: 20_000, interval: 5 });
      c.socket.terminate();
      await c.closed;
      c = await open();
      collect(c);
      const requestId = `resub-${cut}`;
      c.send({ type: "subscribe", requestId, sessionId: sid, data: { lastSeq } });
      const done = await c.next((f) => f.type === "replayComplete" && f.requestId === requestId);
      expect(done.data.gap).toBe(false);
    }
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, 20_000);
    const log = await restEvents(sid);
    await c.next((f) => f.sessionId === sid && f.seq === log.at(-1)!.seq);
    expect(tokens()).toBe(2000);
    expect(received.map((f) => f.seq)).toEqual(log.map((e) => e.seq));
    expect(received.map((f) => f.type)).toEqual(log.map((e) => e.type));
    expect(c.invalid).toEqual([]);
    await c.close();
  }, 60_000);

  test("a subscribe older than what is retained says gap: true and starts with a snapshot", async () => {
    const small = await d.start({ env: { CLAUDE_ALLOWED_TOOLS: "Read" }, eventLogLimits: { maxEvents: 5, maxBytes: 200 } });
    try {
      const c = await connectWs(small.wsUrl, { headers: { authorization: `Bearer ${small.token}` } });
      c.send({ type: "streamStart", requestId: "s", data: { prompt: "long 50" } });
      const sid = (await c.next("streamStarted")).sessionId!;
      await c.next("streamComplete");
      const late = await connectWs(small.wsUrl, { headers: { authorization: `Bearer ${small.token}` } });
      late.send({ type: "subscribe", requestId: "g", sessionId: sid, data: { lastSeq: 1 } });
      const snap = await late.next("sessionSnapshot");
      expect(snap.data).toMatchObject({ sessionId: sid, state: "idle" });
      const done = await late.next("replayComplete");
      expect(done.data.gap).toBe(true);
      await c.close();
      await late.close();
    } finally {
      await small.close();
    }
  });
});

describe("session list stays current", () => {
  test("clients not subscribed get sessionNotice frames without seq; the sessions command lists sessions", async () => {
    const watcher = await open();
    const c = await open();
    const sid = (await c.request({ type: "streamStart", data: { prompt: "reply" } }, "streamStarted")).sessionId!;
    const notice = await watcher.next((f) => f.type === "sessionNotice" && f.sessionId === sid);
    expect(notice.seq).toBeUndefined();
    expect(notice.data.state).toMatch(/created|active|idle/);
    const list = await watcher.request({ type: "sessions" }, "sessions");
    expect(list.data.sessions.some((s: { sessionId: string }) => s.sessionId === sid)).toBe(true);
    await c.request({ type: "streamClose", sessionId: sid }, "ack");
    await watcher.next((f) => f.type === "sessionNotice" && f.sessionId === sid && f.data.state === "closed");
    expect(watcher.invalid).toEqual([]);
    await watcher.close();
    await c.close();
  });
});
