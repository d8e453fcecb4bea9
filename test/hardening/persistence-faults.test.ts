// Faults against persistence: the daemon killed with SIGKILL mid-stream (several sessions, twice in a
// row) and restarted; the sessions directory made read-only under a running daemon and at a start.
// Nothing a client saw is missing after a restart (it was on disk first), seq numbers go on without
// reuse, a turn cut by the crash is reported, orphaned Claude processes end on their own; a read-only
// directory degrades (/health) and never stops streaming.
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";
import { FAKE_CLAUDE } from "../helpers/daemon.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { connectWs, type Frame } from "../helpers/ws-client.js";
import { childUser, handOver, removeChildScript, startChildDaemon, type ChildDaemon } from "./child-daemon.js";
import { auth, health, history, seqFrames, strip } from "./child-session.js";
import { figure, raw } from "./support.js";

const started: ChildDaemon[] = [];
const secrets = new Set<string>();
afterAll(async () => {
  await Promise.all(started.map((d) => d.stop().catch(() => undefined)));
  // Every line every child daemon logged, searched for every token it issued.
  const leaks = started.flatMap((d) => d.logs()).filter((l) => [...secrets].some((s) => l.includes(s)));
  figure("secrets-in-logs", { file: "persistence-faults", logLines: started.reduce((n, d) => n + d.logs().length, 0), secretsSearched: secrets.size, leaks: leaks.length });
  await removeChildScript();
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

/** One config dir, working dir and fake-claude transcript dir shared by successive daemons (owned by the child's user). */
function setup(env: Record<string, string> = {}) {
  const configDir = tempDir("cc-pf-config-");
  const workDir = tempDir("cc-pf-work-");
  const state = tempDir("cc-pf-fake-");
  const logDir = tempDir("cc-pf-logs-");
  handOver(configDir, workDir, state, logDir);
  let n = 0;
  return async () => {
    const d = await startChildDaemon({
      configDir,
      workDir,
      logFile: join(logDir, `daemon-${++n}.log`),
      env: { CLAUDE_CLI_PATH: FAKE_CLAUDE, MAX_SESSIONS: "10", CLAUDE_ALLOWED_TOOLS: "Read", ...env },
      childEnv: { ...(process.env as Record<string, string>), FAKE_CLAUDE_STATE_DIR: state },
    });
    started.push(d);
    secrets.add(d.token);
    return d;
  };
}

const gone = (pid: number) => !existsSync(`/proc/${pid}`) || /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

describe("the daemon killed mid-stream", () => {
  test("4 sessions streaming, kill -9 twice: every event a client saw is on disk, seq goes on, each session resumes", async () => {
    const start = setup();
    const SESSIONS = 4;
    let d = await start();
    let c = await connectWs(d.wsUrl, auth(d));
    const ids: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      c.send({ type: "streamStart", requestId: `s${i}`, data: { prompt: `rate 100 3000 session ${i}` } });
      ids.push((await c.next((f) => f.requestId === `s${i}` && f.type === "streamStarted")).sessionId!);
    }
    const seen = new Map<string, Frame[]>(ids.map((id) => [id, []]));
    let checked = 0;
    const kills = 2;
    for (let k = 0; k < kills; k++) {
      // Killed while every session streams, at a different depth each time.
      const depth = 60 + k * 90;
      for (const id of ids) {
        await c.next((f) => f.sessionId === id && f.type === "streamData" && f.data.kind === "delta" && f.seq! > (seen.get(id)!.at(-1)?.seq ?? 0) + depth, 30_000);
      }
      const list = JSON.parse((await raw(d.url, { path: "/api/sessions", headers: auth(d).headers, keepAlive: false })).text) as { sessions: { process: { pid: number } | null }[] };
      const claudePids = list.sessions.flatMap((s) => (s.process ? [s.process.pid] : []));
      expect(claudePids).toHaveLength(SESSIONS);
      await d.kill();
      await c.closed;
      for (const id of ids) seen.get(id)!.push(...seqFrames(c, id).map(strip));
      // The orphaned Claude processes lose their stdout and end on their own.
      await vi.waitFor(() => expect(claudePids.filter((p) => !gone(p))).toEqual([]), { timeout: 15_000 });

      d = await start();
      c = await connectWs(d.wsUrl, auth(d));
      for (const id of ids) {
        const before = seen.get(id)!;
        const log = await history(d, id);
        // Written before it was sent: everything the client saw is there, byte for byte, in order.
        expect(log.slice(0, before.length)).toEqual(before);
        expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
        checked += before.length;
        c.send({ type: "subscribe", requestId: `r${id}`, sessionId: id, data: { lastSeq: before.at(-1)!.seq } });
        const done = await c.next((f) => f.requestId === `r${id}` && f.type === "replayComplete");
        expect(done.data).toMatchObject({ fromSeq: before.at(-1)!.seq! + 1, gap: false });
        // The cut turn is reported: the session is idle again, and says why.
        const replay = seqFrames(c, id);
        expect(replay.some((f) => f.type === "sessionUpdate" && f.data.reason === "daemon-restarted")).toBe(true);
        expect(JSON.parse((await raw(d.url, { path: `/api/sessions/${id}`, headers: auth(d).headers, keepAlive: false })).text).state).toBe("idle");
        // Streaming again for the next kill; after the last one, a short turn.
        const prompt = k < kills - 1 ? `rate 100 3000 again ${k}` : `echo again ${k}`;
        c.send({ type: "streamSend", requestId: `p${k}${id}`, sessionId: id, data: { prompt } });
      }
    }
    // After the last restart: a turn runs to its end and the CLI has the whole conversation.
    const id = ids[0]!;
    await c.next((f) => f.sessionId === id && f.type === "streamComplete", 60_000);
    c.send({ type: "streamSend", requestId: "h", sessionId: id, data: { prompt: "history" } });
    const result = await c.next((f) => f.sessionId === id && f.type === "streamComplete" && /^History/.test(f.data.result), 30_000);
    expect(result.data.result).toContain("rate 100 3000 session 0");
    expect(result.data.result).toContain("rate 100 3000 again 0");
    expect(result.data.result).toContain("echo again 1");
    // One seq sequence across three daemons: what the client saw before each crash, then the replay, then live.
    const all = [...seen.get(id)!, ...seqFrames(c, id).map(strip)];
    expect(all.map((f) => f.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all).toEqual((await history(d, id)).slice(0, all.length));
    expect(c.invalid).toEqual([]);
    figure("persistence-faults", { fault: "kill -9 of the daemon mid-stream", sessions: SESSIONS, injected: kills, eventsChecked: checked + all.length, lost: 0 });
    await c.close();
    await d.stop();
  }, 180_000);
});

describe("the sessions directory read-only", () => {
  test("while running: new sessions stream but are not kept, /health says degraded; at a start: the kept history loads", async () => {
    const start = setup();
    let d = await start();
    let c = await connectWs(d.wsUrl, auth(d));
    c.send({ type: "streamStart", requestId: "a", data: { prompt: "echo kept before" } });
    const kept = (await c.next((f) => f.requestId === "a" && f.type === "streamStarted")).sessionId!;
    await c.next((f) => f.sessionId === kept && f.type === "streamComplete");
    expect(await health(d)).toBe("ok");

    const sessionsDir = join(d.configDir, "sessions");
    chmodSync(sessionsDir, 0o500);
    for (const f of ["jsonl", "json"]) if (existsSync(join(sessionsDir, `${kept}.${f}`))) chmodSync(join(sessionsDir, `${kept}.${f}`), 0o400);
    try {
      // A new session cannot create its files: degraded, and it streams all the same.
      c.send({ type: "streamStart", requestId: "b", data: { prompt: "echo during read-only" } });
      const lost = (await c.next((f) => f.requestId === "b" && f.type === "streamStarted").catch((e) => { console.log(d.logs().slice(-15).join("\n"), JSON.stringify(c.frames.slice(-5))); throw e; })).sessionId!;
      const done = await c.next((f) => f.sessionId === lost && f.type === "streamComplete");
      expect(done.data.result).toBe("echo during read-only");
      expect(await health(d)).toBe("degraded");
      expect(d.logs().some((l) => /EACCES|EROFS|EPERM/.test(l))).toBe(true);
      // The kept session's file was open before: it keeps being written.
      c.send({ type: "streamSend", requestId: "k", sessionId: kept, data: { prompt: "echo kept during" } });
      await c.next((f) => f.sessionId === kept && f.type === "streamComplete" && f.data.result === "echo kept during");
      const seenKept = seqFrames(c, kept).map(strip);
      await c.close();
      await d.kill();

      // A start with the directory still read-only: the history loads, the daemon runs, degraded at the first write.
      d = await start();
      expect((await history(d, kept)).slice(0, seenKept.length)).toEqual(seenKept);
      const missing = await raw(d.url, { path: `/api/sessions/${lost}`, headers: auth(d).headers, keepAlive: false });
      expect(missing.status).toBe(404);
      c = await connectWs(d.wsUrl, auth(d));
      c.send({ type: "subscribe", requestId: "sub", sessionId: kept, data: { lastSeq: seenKept.at(-1)!.seq } });
      expect((await c.next((f) => f.requestId === "sub" && f.type === "replayComplete")).data.gap).toBe(false);
      c.send({ type: "streamSend", requestId: "x", sessionId: kept, data: { prompt: "echo after the restart" } });
      await c.next((f) => f.sessionId === kept && f.type === "streamComplete" && f.data.result === "echo after the restart");
      expect(await health(d)).toBe("degraded");
      await c.close();
      await d.stop();
    } finally {
      chmodSync(sessionsDir, 0o700);
    }
    // Writable again: the next daemon is healthy and keeps new sessions.
    d = await start();
    expect(await health(d)).toBe("ok");
    c = await connectWs(d.wsUrl, auth(d));
    c.send({ type: "streamStart", requestId: "n", data: { prompt: "echo healthy again" } });
    const fresh = (await c.next((f) => f.requestId === "n" && f.type === "streamStarted")).sessionId!;
    await c.next((f) => f.sessionId === fresh && f.type === "streamComplete");
    expect(existsSync(join(sessionsDir, `${fresh}.jsonl`))).toBe(true);
    expect(await health(d)).toBe("ok");
    const errorLines = started.flatMap((x) => x.logs()).filter((l) => l.includes("session persistence")).length;
    figure("persistence-faults", { fault: "sessions directory read-only (running, then at a start)", injected: 2, runAs: childUser ? "nobody" : "this user", persistenceErrorLines: errorLines, lost: 0 });
    await c.close();
    await d.stop();
  }, 120_000);
});
