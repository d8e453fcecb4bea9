// Injected faults: Claude killed with SIGKILL mid-turn, Claude frozen with SIGSTOP (a hang), the wall
// clock jumping while permissions wait. Each ends in a documented state, the session goes on, and the
// events a client saw are exactly the session's history.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, test, vi } from "vitest";
import type { TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";
import { connectWs, type Frame, type TestWsClient } from "../helpers/ws-client.js";
import { figure, finishFile, raw, startTracked } from "./support.js";

afterAll(async () => {
  const leaks = await finishFile("faults");
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

const auth = (d: TestDaemon) => ({ headers: { authorization: `Bearer ${d.token}` } });
const seqFrames = (c: TestWsClient, sid: string) => c.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
const idleAfter = (sid: string, seq: number) => (f: Frame) => f.sessionId === sid && f.type === "sessionUpdate" && f.data.state === "idle" && f.seq! > seq;

async function pidOf(d: TestDaemon, sid: string): Promise<number> {
  const info = JSON.parse((await raw(d.url, { path: `/api/sessions/${sid}`, headers: auth(d).headers })).text) as { process: { pid: number } | null };
  expect(info.process).not.toBeNull();
  return info.process!.pid;
}

/** Gone, or a zombie nobody will reap (that would be a leak too, so only "gone" passes). */
const processGone = (pid: number) => !existsSync(`/proc/${pid}`);
const processState = (pid: number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];

/** The client's events of a session are 1..n, equal to the REST history. */
async function expectHistory(d: TestDaemon, c: TestWsClient, sid: string): Promise<number> {
  const page = JSON.parse((await raw(d.url, { path: `/api/sessions/${sid}/events?limit=5000`, headers: auth(d).headers })).text) as { events: unknown[] };
  const seen = seqFrames(c, sid).map(({ requestId: _r, ...f }) => f);
  expect(seen.map((f) => f.seq)).toEqual(page.events.map((_, i) => i + 1));
  expect(seen).toEqual(page.events);
  return page.events.length;
}

describe("Claude killed or frozen mid-turn", () => {
  test("kill -9 during streaming, five times: CLAUDE_EXITED each time, the next prompt resumes with the whole conversation", async () => {
    const d = await startTracked();
    const c = await connectWs(d.wsUrl, auth(d));
    c.send({ type: "streamStart", requestId: "s", data: {} });
    const sid = (await c.next("streamStarted")).sessionId!;
    await c.next((f) => f.requestId === "s" && f.type === "replayComplete");
    const rounds = 5;
    for (let i = 0; i < rounds; i++) {
      c.send({ type: "streamSend", requestId: `p${i}`, sessionId: sid, data: { prompt: `slow round ${i}` } });
      const asked = await c.next((f) => f.sessionId === sid && f.type === "userMessage" && f.data.text === `slow round ${i}`);
      // Killed after the (i+1)-th delta of this turn: at a different point of the stream each round.
      let deltas = 0;
      await c.next((f) => f.sessionId === sid && f.seq! > asked.seq! && f.type === "streamData" && f.data.kind === "delta" && ++deltas > i, 20_000);
      const pid = await pidOf(d, sid);
      process.kill(pid, "SIGKILL");
      const error = await c.next((f) => f.sessionId === sid && f.type === "sessionError", 20_000);
      expect(error.data).toMatchObject({ code: "CLAUDE_EXITED", details: { signal: "SIGKILL" } });
      const idle = await c.next(idleAfter(sid, error.seq!), 10_000);
      expect(idle.data.reason).toBe("claude-exited");
      await vi.waitFor(() => expect(processGone(pid)).toBe(true));
    }
    // The CLI replays its transcript on --resume: every prompt of the killed turns is still there.
    c.send({ type: "streamSend", requestId: "h", sessionId: sid, data: { prompt: "history" } });
    const complete = await c.next((f) => f.sessionId === sid && f.type === "streamComplete" && !f.data.isError, 20_000);
    expect(complete.data.result).toBe(`History (${rounds}): ${Array.from({ length: rounds }, (_, i) => `slow round ${i}`).join(" | ")}`);
    const n = await expectHistory(d, c, sid);
    expect(c.invalid).toEqual([]);
    figure("faults", { fault: "kill -9 mid-turn", injected: rounds, eventsChecked: n, lost: 0 });
    await c.close();
  }, 90_000);

  test("SIGSTOP (a hang) with CLAUDE_TIMEOUT=1000: CLAUDE_TIMEOUT, the frozen process is killed, the session is usable", async () => {
    const d = await startTracked({ env: { CLAUDE_TIMEOUT: "1000" } });
    const c = await connectWs(d.wsUrl, auth(d));
    c.send({ type: "streamStart", requestId: "s", data: { prompt: "slow" } });
    const sid = (await c.next("streamStarted")).sessionId!;
    await c.next((f) => f.sessionId === sid && f.type === "streamData" && f.data.kind === "delta", 20_000);
    const pid = await pidOf(d, sid);
    process.kill(pid, "SIGSTOP");
    const stoppedAt = Date.now();
    await vi.waitFor(() => expect(processState(pid)).toBe("T"));
    const timeout = await c.next((f) => f.sessionId === sid && f.type === "sessionError", 20_000);
    expect(timeout.data).toMatchObject({ code: "CLAUDE_TIMEOUT", details: { timeoutMs: 1000 } });
    const idle = await c.next(idleAfter(sid, timeout.seq!), 20_000);
    expect(idle.data.reason).toBe("claude-timeout");
    const recoveredMs = Date.now() - stoppedAt;
    // A frozen process cannot answer the interrupt: it is killed after the grace period, not left stopped.
    await vi.waitFor(() => expect(processGone(pid)).toBe(true), { timeout: 10_000 });
    // No CLAUDE_EXITED for a process we stopped ourselves.
    expect(seqFrames(c, sid).filter((f) => f.type === "sessionError").map((f) => f.data.code)).toEqual(["CLAUDE_TIMEOUT"]);
    c.send({ type: "streamSend", requestId: "again", sessionId: sid, data: { prompt: "echo after the hang" } });
    const complete = await c.next((f) => f.sessionId === sid && f.type === "streamComplete" && !f.data.isError, 20_000);
    expect(complete.data.result).toBe("echo after the hang");
    const n = await expectHistory(d, c, sid);
    figure("faults", { fault: "SIGSTOP (hang), CLAUDE_TIMEOUT=1000", injected: 1, recoveredMs, eventsChecked: n, lost: 0 });
    await c.close();
  }, 60_000);
});

describe("the wall clock jumps", () => {
  test("permission expiry runs on elapsed time, not the wall clock; expiresAt is ts + PERMISSION_TIMEOUT; replay by seq is unaffected", async () => {
    // Only Date is faked (it keeps running); timers stay real, so the daemon's timeouts run as in production.
    // Faked before the daemon starts: the session manager keeps a reference to Date.now as its clock.
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    try {
      const d = await startTracked({ env: { PERMISSION_TIMEOUT: "3000", CLAUDE_ALLOWED_TOOLS: "Read" } });
      const c = await connectWs(d.wsUrl, auth(d));
      c.send({ type: "streamStart", requestId: "s", data: { prompt: "permission jump.txt" } });
      const sid = (await c.next("streamStarted")).sessionId!;
      const first = await c.next((f) => f.sessionId === sid && f.type === "permissionRequest", 20_000);
      expect(first.data.expiresAt - (first as Frame & { ts: number }).ts).toBe(3000);

      // Two hours forward: the request is not expired by it, the answer is taken.
      vi.setSystemTime(Date.now() + 2 * 3600_000);
      c.send({ type: "permission", requestId: "a", sessionId: sid, data: { permissionId: first.data.permissionId, decision: "allow" } });
      expect((await c.next((f) => f.requestId === "a")).type).toBe("ack");
      const resolved = await c.next((f) => f.sessionId === sid && f.type === "permissionResolved");
      expect(resolved.data).toMatchObject({ by: "client", decision: "allow" });
      await c.next((f) => f.sessionId === sid && f.type === "streamComplete", 20_000);
      const mid = resolved.seq!;

      // Three hours back: the next request still times out after 3 s of elapsed time.
      vi.setSystemTime(Date.now() - 3 * 3600_000);
      c.send({ type: "streamSend", requestId: "p2", sessionId: sid, data: { prompt: "permission again.txt" } });
      const second = await c.next((f) => f.sessionId === sid && f.type === "permissionRequest" && f.seq! > mid, 20_000);
      const asked = performance.now();
      expect(second.data.expiresAt - (second as Frame & { ts: number }).ts).toBe(3000);
      const expired = await c.next((f) => f.sessionId === sid && f.type === "permissionResolved" && f.seq! > second.seq!, 10_000);
      const waited = performance.now() - asked;
      expect(expired.data).toMatchObject({ by: "timeout", decision: "deny" });
      expect(waited).toBeGreaterThan(2500);
      expect(waited).toBeLessThan(6000);
      await c.next((f) => f.sessionId === sid && f.type === "streamComplete" && f.seq! > expired.seq!, 20_000);

      // ts went forward 2 h, then back 3 h; seq only ever goes up, and replay from the middle is exact.
      const all = seqFrames(c, sid) as (Frame & { ts: number })[];
      expect(all.some((f, i) => i > 0 && f.ts < all[i - 1]!.ts)).toBe(true);
      expect(all.map((f) => f.seq)).toEqual(all.map((_, i) => i + 1));
      // Three hours back must not lock anyone out (rate limiters run on elapsed time too).
      expect((await raw(d.url, { path: "/api/sessions", headers: auth(d).headers })).status).toBe(200);
      const again = await connectWs(d.wsUrl, auth(d));
      again.send({ type: "subscribe", requestId: "r", sessionId: sid, data: { lastSeq: mid } });
      const done = await again.next((f) => f.requestId === "r" && f.type === "replayComplete");
      expect(done.data).toMatchObject({ fromSeq: mid + 1, toSeq: all.at(-1)!.seq, gap: false });
      expect(seqFrames(again, sid)).toEqual(all.filter((f) => f.seq! > mid));
      const n = await expectHistory(d, c, sid);
      figure("faults", { fault: "wall clock +2 h then -3 h during permission waits", injected: 2, eventsChecked: n, lost: 0 });
      await again.close();
      await c.close();
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);
});
