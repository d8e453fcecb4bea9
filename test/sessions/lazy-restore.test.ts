// A restored session keeps only its metadata in memory: its log is read from disk when asked for, and logs
// read that way share one byte budget (the least recently used go back to disk only).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { createSilentLogger } from "../../src/log.js";
import { EventLog } from "../../src/sessions/event-log.js";
import { LogCache } from "../../src/sessions/log-cache.js";
import { createSessionStore } from "../../src/sessions/store.js";
import { startTestManager, type TestManager } from "../helpers/sessions-harness.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

let managers: TestManager[] = [];
afterEach(async () => {
  await Promise.all(managers.map((m) => m.close()));
  managers = [];
  cleanupTempDirs();
});

const storeAt = (dir: string) => createSessionStore({ dir, logger: createSilentLogger() });

describe("restored sessions", () => {
  test("after a restart no log is in memory until a client asks; then it is read from disk whole", async () => {
    const dir = tempDir("cc-lazy-");
    const a = startTestManager({ store: storeAt(dir) });
    managers.push(a);
    const kept = await a.manager.create({ prompt: "long 300" });
    const closed = await a.manager.create({ prompt: "reply" });
    await a.recorder.wait(kept.id, "streamComplete");
    await a.recorder.wait(closed.id, "streamComplete");
    await a.recorder.wait(kept.id, "sessionUpdate", (e) => e.data.state === "idle");
    await a.manager.closeSession(closed.id);
    await a.manager.suspendAll();
    const before = new Map([kept, closed].map((s) => [s.id, s.log.after(0).records.map((r) => r.json)]));

    const b = startTestManager({ store: storeAt(dir) });
    managers.push(b);
    const [k, c] = [b.manager.get(kept.id), b.manager.get(closed.id)];
    // Listed with their state and numbers, nothing read.
    expect(b.manager.list().map((s) => s.id)).toEqual(expect.arrayContaining([kept.id, closed.id]));
    expect([k.state, c.state]).toEqual(["idle", "closed"]);
    expect(k.info()).toMatchObject({ messageCount: 1, lastSeq: before.get(kept.id)!.length, title: "long 300" });
    expect([k.log.resident, c.log.resident]).toEqual([false, false]);
    // Asked (a subscribe or a history page calls after()): read from disk, exactly what was written.
    expect(c.log.after(0).records.map((r) => r.json)).toEqual(before.get(closed.id));
    expect([k.log.resident, c.log.resident]).toEqual([false, true]);
    expect(k.log.after(0).records.map((r) => r.json)).toEqual(before.get(kept.id));
    // The next prompt goes on from the last seq.
    b.manager.get(kept.id).send({ text: "echo again" });
    const next = await b.recorder.wait(kept.id, "userMessage");
    expect(next.seq).toBe(before.get(kept.id)!.length + 1);
  });
});

/** The seq of every line of a session's event file, in file order. */
const seqsOnDisk = (dir: string, id: string): number[] =>
  readFileSync(join(dir, `${id}.jsonl`), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { seq: number }).seq);

describe("a closed session no longer kept in memory", () => {
  test("resumed after it was pruned from memory: its seq goes on in its file, its history is still there", async () => {
    const dir = tempDir("cc-pruned-");
    const m = startTestManager({ store: storeAt(dir), closedSessionsKept: 1 });
    managers.push(m);
    const first = await m.manager.create({ prompt: "remember banana" });
    await m.recorder.wait(first.id, "streamComplete");
    await m.manager.closeSession(first.id);
    const lastSeq = m.recorder.lastSeq(first.id);
    const second = await m.manager.create({ prompt: "reply" });
    await m.recorder.wait(second.id, "streamComplete");
    await m.manager.closeSession(second.id);
    // Only one closed session is kept: the first is gone from memory, its files stay.
    expect(() => m.manager.get(first.id)).toThrow();

    const resumed = await m.manager.create({ resume: first.id, prompt: "history" });
    await m.recorder.wait(first.id, "streamComplete", () => true, { afterSeq: lastSeq });
    // Every event of the session, before and after the resume, in one unbroken seq.
    const events = m.recorder.of(first.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // The earlier events are still the session's (a client that subscribes from 0 sees them).
    expect(resumed.log.after(0).records[0]!.event.seq).toBe(1);
    expect(resumed.workingDirectory).toBe(first.workingDirectory);
    const seqs = seqsOnDisk(dir, first.id);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  test("resumed after a restart that kept fewer closed sessions than were on disk: the same", async () => {
    const dir = tempDir("cc-pruned-restart-");
    const a = startTestManager({ store: storeAt(dir) });
    managers.push(a);
    const first = await a.manager.create({ prompt: "reply" });
    await a.recorder.wait(first.id, "streamComplete");
    await a.manager.closeSession(first.id);
    const later = await a.manager.create({ prompt: "reply" });
    await a.recorder.wait(later.id, "streamComplete");
    await a.manager.closeSession(later.id);
    const lastSeq = a.recorder.lastSeq(first.id);
    await a.manager.close();

    const b = startTestManager({ store: storeAt(dir), closedSessionsKept: 1 });
    managers.push(b);
    expect(() => b.manager.get(first.id)).toThrow();
    await b.manager.create({ resume: first.id, prompt: "echo again" });
    await b.recorder.wait(first.id, "streamComplete");
    expect(b.recorder.of(first.id)[0]!.seq).toBe(lastSeq + 1);
    const seqs = seqsOnDisk(dir, first.id);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});

describe("LogCache", () => {
  test("logs read from disk beyond the budget are dropped, least recently used first, and read again when asked", () => {
    const cache = new LogCache(5000);
    const sid = (n: number) => `0b7c8f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2${n}`;
    const reads = new Map<string, number>();
    const logs = [0, 1, 2].map((n) => {
      const source = new EventLog({ sessionId: sid(n) });
      for (let i = 0; i < 10; i++) source.append({ type: "streamData", data: { kind: "delta", text: "x".repeat(100) } });
      const records = source.after(0).records;
      return new EventLog({
        sessionId: sid(n),
        source: { lastSeq: 10, cache, read: () => (reads.set(sid(n), (reads.get(sid(n)) ?? 0) + 1), records) },
      });
    });
    // About 2 100 bytes each: two fit.
    logs[0]!.after(0);
    logs[1]!.after(0);
    expect(logs.map((l) => l.resident)).toEqual([true, true, false]);
    logs[0]!.after(5);
    logs[2]!.after(0);
    expect(logs.map((l) => l.resident)).toEqual([true, false, true]);
    expect(logs[1]!.after(0).records).toHaveLength(10);
    expect(reads.get(sid(1))).toBe(2);
    // A log that took a new event is live: never dropped.
    logs[2]!.append({ type: "warning", data: { message: "live" } });
    logs[0]!.after(0);
    logs[1]!.after(0);
    expect(logs[2]!.resident).toBe(true);
    expect(logs[2]!.lastSeq).toBe(11);
  });
});
