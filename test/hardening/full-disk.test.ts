// A transient full disk under a running daemon (a small tmpfs as its sessions directory, filled and
// freed mid-turn): the torn last line is cut, what was written before and after is restored, a seq a
// client already holds is never issued again, and /health leaves "degraded" once writes succeed again.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";
import { FAKE_CLAUDE } from "../helpers/daemon.js";
import { canMountTmpfs, fillDisk, useTmpfs } from "../helpers/full-disk.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { connectWs } from "../helpers/ws-client.js";
import { childUser, handOver, removeChildScript, startChildDaemon, type ChildDaemon } from "./child-daemon.js";
import { auth, health, history, seqFrames, strip } from "./child-session.js";
import { figure, raw } from "./support.js";

const mountTmpfs = useTmpfs();
const started: ChildDaemon[] = [];
afterAll(async () => {
  await Promise.all(started.map((d) => d.stop().catch(() => undefined)));
  await removeChildScript();
  cleanupTempDirs();
});

describe.skipIf(!canMountTmpfs)("a transient full disk", () => {
  test("filled and freed mid-turn, then a restart: everything written is restored, no seq is reused, /health recovers", async () => {
    const configDir = tempDir("cc-fd-config-");
    const workDir = tempDir("cc-fd-work-");
    const state = tempDir("cc-fd-fake-");
    const logDir = tempDir("cc-fd-logs-");
    const sessionsDir = join(configDir, "sessions");
    mkdirSync(sessionsDir);
    mountTmpfs(sessionsDir, { size: "2m", ...(childUser ? { owner: childUser } : {}) });
    handOver(configDir, workDir, state, logDir);
    let n = 0;
    const start = async () => {
      const d = await startChildDaemon({
        configDir,
        workDir,
        logFile: join(logDir, `daemon-${++n}.log`),
        env: { CLAUDE_CLI_PATH: FAKE_CLAUDE, CLAUDE_ALLOWED_TOOLS: "Read" },
        childEnv: { ...(process.env as Record<string, string>), FAKE_CLAUDE_STATE_DIR: state },
      });
      started.push(d);
      return d;
    };

    // 1. The disk fills while a turn streams, and is freed while it still streams.
    let d = await start();
    let c = await connectWs(d.wsUrl, auth(d));
    c.send({ type: "streamStart", requestId: "s", data: { prompt: "rate 400 3000 during a full disk" } });
    const id = (await c.next((f) => f.requestId === "s" && f.type === "streamStarted")).sessionId!;
    const deltaAfter = (seq: number) => c.next((f) => f.sessionId === id && f.type === "streamData" && f.seq! > seq, 30_000);
    const fullFrom = (await deltaAfter(50)).seq!;
    const free = fillDisk(sessionsDir);
    await deltaAfter(fullFrom + 150);
    expect(await health(d)).toBe("degraded");
    free();
    // Writes succeed again: /health says so.
    await vi.waitFor(async () => expect(await health(d)).toBe("ok"), { timeout: 10_000 });
    await c.next((f) => f.sessionId === id && f.type === "streamComplete", 60_000);
    c.send({ type: "streamSend", requestId: "e", sessionId: id, data: { prompt: "echo after the free" } });
    await c.next((f) => f.sessionId === id && f.type === "streamComplete" && f.data.result === "echo after the free");
    const seen1 = seqFrames(c, id).map(strip);
    await c.close();
    await d.kill();

    // 2. Restarted: everything that reached the disk is back (a gap only where the disk was full), in order.
    d = await start();
    // Events the client had not received yet when it closed are on disk too: compared up to what it saw.
    const log = (await history(d, id)).filter((e) => e.seq! <= seen1.at(-1)!.seq!);
    const seqs = log.map((e) => e.seq!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const bySeq = new Map(seen1.map((f) => [f.seq, f]));
    for (const e of log) expect(e).toEqual(bySeq.get(e.seq));
    // Holes only where the disk was full (a small event may still fit in the room a cut line left):
    // everything seen before the first hole and after the last one is there.
    const holes = seqs.flatMap((s, i) => (i > 0 && s !== seqs[i - 1]! + 1 ? [i] : []));
    expect(holes.length).toBeGreaterThanOrEqual(1);
    const [before, after] = [seqs[holes[0]! - 1]!, seqs[holes.at(-1)!]!];
    expect(before).toBeGreaterThanOrEqual(fullFrom);
    expect(log.slice(0, holes[0])).toEqual(seen1.filter((f) => f.seq! <= before));
    expect(log.slice(holes.at(-1))).toEqual(seen1.filter((f) => f.seq! >= after));
    expect(seqs.at(-1)).toBe(seen1.at(-1)!.seq);
    const restored1 = log.length;

    // 3. The disk full again, a whole turn lost with it, freed, then kill -9 before any other write:
    //    the highest seq is in the meta, so the next turn does not reuse the seqs the client saw.
    c = await connectWs(d.wsUrl, auth(d));
    c.send({ type: "subscribe", requestId: "sub", sessionId: id, data: { lastSeq: seen1.at(-1)!.seq } });
    await c.next((f) => f.requestId === "sub" && f.type === "replayComplete");
    const free2 = fillDisk(sessionsDir);
    c.send({ type: "streamSend", requestId: "l", sessionId: id, data: { prompt: "echo lost with the disk" } });
    await c.next((f) => f.sessionId === id && f.type === "streamComplete" && f.data.result === "echo lost with the disk");
    await vi.waitFor(async () => expect(JSON.parse((await raw(d.url, { path: `/api/sessions/${id}`, headers: auth(d).headers, keepAlive: false })).text).state).toBe("idle"));
    const lostSeq = seqFrames(c, id).at(-1)!.seq!;
    expect(await health(d)).toBe("degraded");
    free2();
    await vi.waitFor(async () => expect(await health(d)).toBe("ok"), { timeout: 10_000 });
    await c.close();
    await d.kill();

    d = await start();
    expect(await health(d)).toBe("ok");
    c = await connectWs(d.wsUrl, auth(d));
    c.send({ type: "subscribe", requestId: "sub2", sessionId: id, data: { lastSeq: lostSeq } });
    await c.next((f) => f.requestId === "sub2" && f.type === "replayComplete");
    c.send({ type: "streamSend", requestId: "n", sessionId: id, data: { prompt: "echo after the second restart" } });
    await c.next((f) => f.sessionId === id && f.type === "streamComplete" && f.data.result === "echo after the second restart");
    const fresh = seqFrames(c, id).filter((f) => f.seq! > seen1.at(-1)!.seq!);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((f) => f.seq! > lostSeq)).toBe(true);
    const parses = (l: string) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    };
    const torn = readFileSync(join(sessionsDir, `${id}.jsonl`), "utf8").split("\n").filter((l) => l && !parses(l)).length;
    figure("persistence-faults", {
      fault: "sessions disk full mid-turn, freed, restarted (twice)",
      seenLive: seen1.length,
      restored: restored1,
      lostWhileFull: seen1.length - restored1,
      firstNewSeq: fresh[0]!.seq,
      highestSeqSeen: lostSeq,
      tornLinesLeft: torn,
    });
    expect(torn).toBe(0);
    await c.close();
    await d.stop();
  }, 180_000);
});
