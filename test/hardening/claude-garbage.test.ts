// Claude's side is hostile too: a CLI that writes garbage, truncated JSON, a 50 MB line, invalid UTF-8,
// binary and deeply nested JSON, then dies. The session reports it (warning, sessionError), keeps its
// seq numbers whole, resumes on the next prompt; the daemon serves other sessions meanwhile.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";
import { connectWs, type Frame, type TestWsClient } from "../helpers/ws-client.js";
import {
  collectGarbage,
  EVIL_CLAUDE,
  figure,
  finishFile,
  prototypePollution,
  prototypeSnapshot,
  raw,
  startTracked,
} from "./support.js";

let d: TestDaemon;
const prototypes = prototypeSnapshot();

beforeAll(async () => {
  d = await startTracked({ env: { CLAUDE_CLI_PATH: EVIL_CLAUDE, MAX_SESSIONS: "6" } });
});
afterAll(async () => {
  const leaks = await finishFile("claude-garbage");
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

const auth = () => ({ headers: { authorization: `Bearer ${d.token}` } });
const events = (c: TestWsClient, sid: string) => c.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
const turnDone = (sid: string, n: number) => (f: Frame) => f.sessionId === sid && f.type === "sessionUpdate" && f.data.state === "idle" && f.seq! >= n;

/** The whole REST history of a session (paged). */
async function history(sid: string): Promise<{ seq: number; type: string; data: any }[]> {
  const all: { seq: number; type: string; data: any }[] = [];
  for (let after = 0; ; ) {
    const page = JSON.parse((await raw(d.url, { path: `/api/sessions/${sid}/events?after=${after}&limit=5000`, headers: auth().headers })).text);
    all.push(...page.events);
    if (!page.hasMore) return all;
    after = page.nextAfter;
  }
}

/** Starts a session on its own socket; resolves with its id once streamStarted arrived. */
async function start(c: TestWsClient, data: Record<string, unknown>, requestId: string): Promise<string> {
  c.send({ type: "streamStart", requestId, data });
  const started = await c.next((f) => f.requestId === requestId && (f.type === "streamStarted" || f.type === "error"), 20_000);
  expect(started.type).toBe("streamStarted");
  return started.sessionId!;
}

/** The seqs the client saw are 1..n with no gap or repeat, and equal the REST history. */
async function expectWhole(c: TestWsClient, sid: string): Promise<number> {
  const seen = events(c, sid).map((f) => f.seq!);
  const rest = await history(sid);
  expect(seen).toEqual(rest.map((e) => e.seq));
  expect(rest.map((e) => e.seq)).toEqual(Array.from({ length: rest.length }, (_, i) => i + 1));
  return rest.length;
}

describe("a CLI that floods stdout with garbage and dies", () => {
  test("barrage: warnings, CLAUDE_EXITED, the next prompt resumes; a second session works meanwhile", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const evil = await connectWs(d.wsUrl, auth());
    const good = await connectWs(d.wsUrl, auth());
    const sid = await start(evil, { prompt: "evil:barrage" }, "evil");
    const other = await start(good, { prompt: "hello" }, "good");
    // The other session takes turns while the flood is read (a 50 MB line, binary, …).
    let turns = 0;
    const otherTurns = (async () => {
      for (let i = 0; i < 5; i++) {
        await good.next((f) => f.sessionId === other && f.type === "streamComplete", 30_000);
        turns++;
        good.send({ type: "streamSend", requestId: `g${i}`, sessionId: other, data: { prompt: `turn ${i}` } });
      }
      await good.next((f) => f.sessionId === other && f.type === "streamComplete", 30_000);
      turns++;
    })();
    const error = await evil.next((f) => f.sessionId === sid && f.type === "sessionError", 60_000);
    expect(error.data).toMatchObject({ code: "CLAUDE_EXITED", details: { exitCode: 1 } });
    expect(error.data.details.stderrTail).toContain("done being evil");
    await evil.next(turnDone(sid, error.seq!), 10_000);
    // The cut turn still ends with one streamComplete naming why.
    expect((await evil.next((f) => f.sessionId === sid && f.type === "streamComplete", 1000)).data).toMatchObject({ isError: true, subtype: "claude-exited" });
    await otherTurns;
    expect(turns).toBe(6);

    const warnings = events(evil, sid).filter((f) => f.type === "warning");
    // Non-JSON text, truncated JSON, five JSON values that are not objects, the 50 MB line, invalid UTF-8, binary lines.
    expect(warnings.length).toBeGreaterThanOrEqual(10);
    for (const w of warnings) expect(w.data.line.length).toBeLessThanOrEqual(1001);
    expect(warnings.some((w) => /^x{1000}/.test(w.data.line))).toBe(true);
    // Wrongly typed known lines were passed on as claudeEvent, never crashed the mapper.
    expect(events(evil, sid).filter((f) => f.type === "claudeEvent").length).toBeGreaterThan(5);

    // The next prompt resumes the conversation with a fresh process.
    evil.send({ type: "streamSend", requestId: "again", sessionId: sid, data: { prompt: "are you better now" } });
    const complete = await evil.next((f) => f.sessionId === sid && f.type === "streamComplete", 20_000);
    expect(complete.data).toMatchObject({ isError: false, result: "ok 18" });

    const n = await expectWhole(evil, sid);
    await expectWhole(good, other);
    expect(evil.invalid).toEqual([]);
    expect(good.invalid).toEqual([]);
    // The 50 MB line is not kept: the whole history is small.
    const bytes = JSON.stringify(await history(sid)).length;
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    expect((await raw(d.url, { path: "/health" })).status).toBe(200);
    expect(prototypePollution(prototypes)).toEqual([]);
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    figure("claude-garbage", { scenario: "barrage", linesOfGarbage: warnings.length, eventsChecked: n, otherSessionTurns: turns, historyBytes: bytes, heapGrowthMb: Math.round(growth / 2 ** 20) });
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    await evil.close();
    await good.close();
  }, 120_000);

  test("a line nested 100 000 levels deep: dropped with a warning, no seq lost, the turn completes", async () => {
    const c = await connectWs(d.wsUrl, auth());
    const sid = await start(c, { prompt: "evil:deep" }, "deep");
    const complete = await c.next((f) => f.sessionId === sid && f.type === "streamComplete", 30_000);
    expect(complete.data.isError).toBe(false);
    await c.next(turnDone(sid, complete.seq!), 10_000);
    const n = await expectWhole(c, sid);
    expect(events(c, sid).some((f) => f.type === "warning" && /nested/.test(f.data.message))).toBe(true);
    figure("claude-garbage", { scenario: "deep nesting", depth: 100_000, eventsChecked: n });
    await c.close();
  }, 60_000);

  test("a CLI that breaks at start, and one that exits mid-turn: CLAUDE_EXITED each time, the session stays usable", async () => {
    const broken = join(d.workDir, "broken");
    mkdirSync(broken);
    writeFileSync(join(broken, ".evil-startup"), "");
    const c = await connectWs(d.wsUrl, auth());
    const sid = await start(c, { prompt: "hello", workingDirectory: broken }, "broken");
    for (let i = 0; i < 2; i++) {
      const error = await c.next((f) => f.sessionId === sid && f.type === "sessionError", 20_000);
      expect(error.data).toMatchObject({ code: "CLAUDE_EXITED", details: { exitCode: 2 } });
      expect(error.data.details.stderrTail).toContain("cannot start");
      await c.next(turnDone(sid, error.seq!), 10_000);
      expect((await c.next((f) => f.sessionId === sid && f.type === "streamComplete", 1000)).data).toMatchObject({ isError: true, subtype: "claude-exited" });
      if (i === 0) c.send({ type: "streamSend", requestId: "retry", sessionId: sid, data: { prompt: "once more" } });
    }
    const dying = await start(c, { prompt: "evil:exit" }, "dying");
    const exited = await c.next((f) => f.sessionId === dying && f.type === "sessionError", 20_000);
    expect(exited.data).toMatchObject({ code: "CLAUDE_EXITED", details: { exitCode: 1 } });
    await c.next(turnDone(dying, exited.seq!), 10_000);
    expect((await c.next((f) => f.sessionId === dying && f.type === "streamComplete", 1000)).data).toMatchObject({ isError: true, subtype: "claude-exited" });
    c.send({ type: "streamSend", requestId: "resume", sessionId: dying, data: { prompt: "hello" } });
    expect((await c.next((f) => f.sessionId === dying && f.type === "streamComplete", 20_000)).data.isError).toBe(false);
    const n = (await expectWhole(c, sid)) + (await expectWhole(c, dying));
    expect(c.invalid).toEqual([]);
    figure("claude-garbage", { scenario: "broken at start, exit mid-turn", faults: 3, eventsChecked: n });
    await c.close();
  }, 60_000);
});
