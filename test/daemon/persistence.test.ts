// Sessions survive a daemon restart: full history, replay by seq, the conversation resumes; disk errors degrade, never stop.
import { appendFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { useTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";
import { connectWs, type Frame, type TestWsClient } from "../helpers/ws-client.js";

const daemons = useTestDaemon({ lazy: true });

/** Two daemons in a row on one config dir, working dir and fake-claude state (so --resume finds the conversation). */
function sharedDirs() {
  const configDir = tempDir("cc-persist-");
  const workDir = tempDir("cc-persist-work-");
  const childEnv = { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-persist-fake-") };
  return (env: Record<string, string> = {}) => daemons.start({ configDir, workDir, childEnv, env: { CLAUDE_ALLOWED_TOOLS: "Read", ...env } });
}

async function open(d: TestDaemon): Promise<TestWsClient> {
  const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.daemon.masterToken()}` } });
  await c.next("welcome");
  return c;
}
/** A first daemon that answers one "reply" turn and closes: its session is on disk for the next start. */
async function oneTurnThenClose(start: ReturnType<typeof sharedDirs>): Promise<{ a: TestDaemon; sid: string }> {
  const a = await start();
  const c = await open(a);
  c.send({ type: "streamStart", requestId: "s", data: { prompt: "reply" } });
  const sid = (await c.next("streamStarted")).sessionId!;
  await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
  await a.close();
  return { a, sid };
}
const events = (c: TestWsClient, sid: string) => c.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
const restEvents = async (d: TestDaemon, sid: string) =>
  ((await (await fetch(`${d.url}/api/sessions/${sid}/events?limit=5000`, { headers: { authorization: `Bearer ${d.daemon.masterToken()}` } })).json()) as {
    events: Frame[];
  }).events;

describe("persistence across a restart", () => {
  test("a restored session has its full history, replays exactly from lastSeq, and the next prompt resumes the conversation", async () => {
    const start = sharedDirs();
    const a = await start();
    const c = await open(a);
    c.send({ type: "streamStart", requestId: "s", data: { prompt: "echo remember banana" } });
    const sid = (await c.next("streamStarted")).sessionId!;
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    c.send({ type: "streamSend", requestId: "2", sessionId: sid, data: { prompt: "echo and apples" } });
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid && f.data.result.includes("apples"));
    const seenBefore = events(c, sid);
    const lastSeen = seenBefore.at(-1)!.seq!;
    await a.close();
    // Clients are told before their sockets close.
    const shutdownUpdate = await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.reason === "daemon-shutdown");
    expect(shutdownUpdate.data.state).toBe("idle");
    expect((await c.closed).code).toBe(1001);
    const beforeLog = readFileSync(join(a.configDir, "sessions", `${sid}.jsonl`), "utf8").trim().split("\n");

    const b = await start();
    const info = (await (await fetch(`${b.url}/api/sessions/${sid}`, { headers: { authorization: `Bearer ${b.daemon.masterToken()}` } })).json()) as {
      state: string;
      messageCount: number;
      process: unknown;
      lastSeq: number;
    };
    expect(info).toMatchObject({ state: "idle", messageCount: 2, process: null });
    expect(info.lastSeq).toBe(beforeLog.length);
    const restored = await restEvents(b, sid);
    expect(restored.map((e) => JSON.stringify(e))).toEqual(beforeLog);

    const r = await open(b);
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: lastSeen } });
    const done = await r.next("replayComplete");
    expect(done.data).toMatchObject({ gap: false, toSeq: beforeLog.length });
    const replayed = events(r, sid).map((f) => f.seq);
    expect(replayed).toEqual(Array.from({ length: beforeLog.length - lastSeen }, (_, i) => lastSeen + 1 + i));
    expect(replayed).toContain(shutdownUpdate.seq);

    r.send({ type: "streamSend", requestId: "h", sessionId: sid, data: { prompt: "history please" } });
    const result = await r.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    expect(result.data.result).toContain("remember banana");
    expect(result.data.result).toContain("and apples");
    expect(result.seq).toBeGreaterThan(beforeLog.length);
    await r.close();
  });

  test("a permission pending at shutdown is resolved and clients are told after the restart", async () => {
    const start = sharedDirs();
    const a = await start();
    const c = await open(a);
    c.send({ type: "streamStart", requestId: "s", data: { prompt: "permission never.txt" } });
    const sid = (await c.next("streamStarted")).sessionId!;
    const req = await c.next((f) => f.type === "permissionRequest" && f.sessionId === sid);
    await a.close();
    const b = await start();
    const log = await restEvents(b, sid);
    const resolved = log.find((e) => e.type === "permissionResolved" && e.data.permissionId === req.data.permissionId);
    expect(resolved?.data).toMatchObject({ decision: "deny", by: "shutdown" });
    const r = await open(b);
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: req.seq } });
    expect((await r.next("replayComplete")).data.pendingPermissions).toEqual([]);
    await r.close();
  });

  test("a truncated last line (power loss) is cut from the file with a warning, never fatal", async () => {
    const start = sharedDirs();
    const { a, sid } = await oneTurnThenClose(start);
    const file = join(a.configDir, "sessions", `${sid}.jsonl`);
    const lines = readFileSync(file, "utf8").trim().split("\n").length;
    appendFileSync(file, '{"seq":' + (lines + 1) + ',"sessionId":"' + sid + '","ts":1,"type":"strea');
    const b = await start();
    expect(b.logs.some((l) => l.includes("cutting a torn last line"))).toBe(true);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(lines);
    const log = await restEvents(b, sid);
    expect(log.length).toBe(lines);
    const r = await open(b);
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: lines } });
    await r.next("replayComplete");
    r.send({ type: "streamSend", requestId: "x", sessionId: sid, data: { prompt: "echo still works" } });
    expect((await r.next((f) => f.type === "streamComplete" && f.sessionId === sid)).data.result).toContain("still works");
    await r.close();
  });

  test("a torn line in the middle (an older build wrote on after a full disk): the lines after it are kept", async () => {
    const start = sharedDirs();
    const { a, sid } = await oneTurnThenClose(start);
    const file = join(a.configDir, "sessions", `${sid}.jsonl`);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    // Line 3 torn half-way, line 4 written straight after it, line 5 lost: what the old build left.
    const torn = [...lines.slice(0, 2), lines[2]!.slice(0, 20) + lines[3]!, ...lines.slice(5)];
    writeFileSync(file, torn.join("\n") + "\n");
    const b = await start();
    const seqs = (await restEvents(b, sid)).map((e) => e.seq);
    expect(seqs).toEqual([1, 2, 4, ...lines.slice(5).map((_, i) => i + 6)]);
    const r = await open(b);
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: lines.length } });
    await r.next("replayComplete");
    r.send({ type: "streamSend", requestId: "x", sessionId: sid, data: { prompt: "echo still works" } });
    const next = await r.next((f) => f.sessionId === sid && typeof f.seq === "number");
    expect(next.seq).toBe(lines.length + 1);
    await r.close();
  });

  test("a full disk (ENOSPC) is logged and reported as degraded; live streaming goes on", async () => {
    const start = sharedDirs();
    const { sid } = await oneTurnThenClose(start);
    const b = await start();
    // The restored session's file is opened on its next append: make that file a full disk.
    const file = join(b.configDir, "sessions", `${sid}.jsonl`);
    rmSync(file);
    symlinkSync("/dev/full", file);
    const r = await open(b);
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: 0 } });
    await r.next("replayComplete");
    r.send({ type: "streamSend", requestId: "x", sessionId: sid, data: { prompt: "echo on a full disk" } });
    const { promptId } = (await r.next((f) => f.type === "ack" && f.requestId === "x")).data;
    const done = await r.next((f) => f.type === "streamComplete" && f.sessionId === sid && f.data.promptIds.includes(promptId));
    expect(done.data.result).toContain("on a full disk");
    const health = (await (await fetch(`${b.url}/health`)).json()) as { status: string };
    expect(health.status).toBe("degraded");
    expect(b.logs.some((l) => l.includes("ENOSPC"))).toBe(true);
    await r.close();
  });
});
