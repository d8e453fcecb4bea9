import { describe, expect, test } from "vitest";
import type { NewSessionEvent } from "../../src/protocol/events.js";
import { SessionEventSchema } from "../../src/protocol/events.js";
import { EventLog, type LogRecord } from "../../src/sessions/event-log.js";

const SID = "0b7c8f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f";
const delta = (text: string): NewSessionEvent => ({ type: "streamData", data: { kind: "delta", text } });

function logWith(n: number, opts: { maxEvents?: number; maxBytes?: number } = {}): EventLog {
  let t = 1000;
  const log = new EventLog({ sessionId: SID, now: () => t++, ...opts });
  for (let i = 1; i <= n; i++) log.append(delta(`t${i}`));
  return log;
}

describe("EventLog append", () => {
  test("numbers events 1, 2, 3 … without gaps and stamps them", () => {
    const log = logWith(5);
    const { records } = log.after(0);
    expect(records.map((r) => r.event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records.map((r) => r.event.ts)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(log.lastSeq).toBe(5);
  });

  test("record.json is exactly JSON.stringify(event) and a valid session event", () => {
    const log = new EventLog({ sessionId: SID });
    const inputs: NewSessionEvent[] = [
      delta('quote " backslash \\ newline \n unicode é 🙂'),
      { type: "userMessage", data: { promptId: "p1", text: "hi", images: 0 } },
      { type: "sessionUpdate", data: { state: "idle", previousState: "active", reason: "turn-complete", queueLength: 0 } },
      { type: "claudeEvent", data: { claudeType: "system", subtype: "api_retry", raw: { a: [1, null] } } },
    ];
    for (const e of inputs) {
      const r = log.append(e);
      expect(r.json).toBe(JSON.stringify(r.event));
      expect(SessionEventSchema.parse(JSON.parse(r.json))).toEqual(r.event);
    }
  });

  test("persist runs before listeners, once per event, and both see the same record", () => {
    const calls: string[] = [];
    const log = new EventLog({ sessionId: SID, persist: (r) => calls.push(`persist:${r.event.seq}`) });
    const seen: LogRecord[] = [];
    log.subscribe((r) => {
      calls.push(`listener:${r.event.seq}`);
      seen.push(r);
    });
    const r1 = log.append(delta("a"));
    log.append(delta("b"));
    expect(calls).toEqual(["persist:1", "listener:1", "persist:2", "listener:2"]);
    expect(seen[0]).toBe(r1);
  });

  test("unsubscribe stops delivery; a throwing listener or persist is reported and the others go on", () => {
    const errors: string[] = [];
    const log = new EventLog({
      sessionId: SID,
      persist: () => {
        throw new Error("disk full");
      },
      onError: (e, where) => errors.push(`${where}:${(e as Error).message}`),
    });
    log.subscribe(() => {
      throw new Error("boom");
    });
    const got: number[] = [];
    const off = log.subscribe((r) => got.push(r.event.seq));
    log.append(delta("a"));
    off();
    log.append(delta("b"));
    expect(got).toEqual([1]);
    expect(errors).toEqual(["persist:disk full", "listener:boom", "persist:disk full", "listener:boom"]);
    expect(log.lastSeq).toBe(2);
  });
});

describe("EventLog.after", () => {
  const log = logWith(10);
  test.each([
    // afterSeq, limit, expected seqs, gap
    [0, Infinity, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], false],
    [3, Infinity, [4, 5, 6, 7, 8, 9, 10], false],
    [3, 2, [4, 5], false],
    [9, 5, [10], false],
    [10, 5, [], false],
    [42, 5, [], false],
    [-7, 2, [1, 2], false],
    [0, 0, [], false],
  ] as const)("after(%s, %s)", (afterSeq, limit, seqs, gap) => {
    const r = log.after(afterSeq, limit);
    expect(r.records.map((x) => x.event.seq)).toEqual(seqs);
    expect(r.gap).toBe(gap);
    expect(r.lastSeq).toBe(10);
  });

  test("an empty log has no records and no gap", () => {
    const empty = new EventLog({ sessionId: SID });
    expect(empty.after(0)).toEqual({ records: [], gap: false, firstSeq: 1, lastSeq: 0 });
  });
});

describe("EventLog limits: drop the oldest only while both limits are exceeded", () => {
  // Each record of delta("tN") is the same length for N of equal digits; measure one.
  const one = logWith(1).after(0).records[0]!.json.length;

  test.each([
    // events, maxEvents, maxBytes (in records), kept
    { n: 20, maxEvents: 5, maxBytesRecords: 0, kept: 5 }, // bytes limit 0: the count limit rules
    { n: 20, maxEvents: 0, maxBytesRecords: 7, kept: 7 }, // count limit 0: the byte limit rules
    { n: 20, maxEvents: 5, maxBytesRecords: 8, kept: 8 }, // keep at least 8 records' worth of bytes
    { n: 20, maxEvents: 12, maxBytesRecords: 3, kept: 12 }, // keep at least 12 events
    { n: 4, maxEvents: 5, maxBytesRecords: 0, kept: 4 }, // under the limits nothing is dropped
  ])("$n events, maxEvents $maxEvents, maxBytes $maxBytesRecords records -> keeps $kept", ({ n, maxEvents, maxBytesRecords, kept }) => {
    // Two-digit suffixes are one char longer: use n < 100 and compare with a margin below one record.
    const log = logWith(n, { maxEvents, maxBytes: maxBytesRecords * one });
    expect(log.size).toBeGreaterThanOrEqual(kept);
    expect(log.size).toBeLessThanOrEqual(kept + 1);
    expect(log.size).toBeGreaterThanOrEqual(Math.min(n, maxEvents));
    const total = logWith(n).sizeBytes;
    expect(log.sizeBytes).toBeGreaterThanOrEqual(Math.min(maxBytesRecords * one, total));
    const r = log.after(0);
    expect(r.records[r.records.length - 1]!.event.seq).toBe(n);
    expect(r.firstSeq).toBe(n - log.size + 1);
    expect(r.gap).toBe(log.size < n);
    expect(log.after(r.firstSeq - 1).gap).toBe(false);
  });

  test("defaults keep 10 000 small events and drop beyond 16 MiB only when over 10 000 events too", () => {
    const log = logWith(10_500);
    expect(log.size).toBe(10_500); // far below 16 MiB: nothing dropped
    const big = new EventLog({ sessionId: SID });
    const chunk = "x".repeat(4096);
    for (let i = 0; i < 12_000; i++) big.append(delta(chunk)); // ~49 MiB
    expect(big.size).toBe(10_000);
    expect(big.firstSeq).toBe(2001);
    expect(big.after(0, 1)).toMatchObject({ gap: true, firstSeq: 2001 });
    expect(big.after(2000, 1).records[0]!.event.seq).toBe(2001);
    expect(big.get(2000)).toBeUndefined();
    expect(big.get(12_000)!.event.seq).toBe(12_000);
  });

  test("appending 100 000 events stays fast", () => {
    const log = new EventLog({ sessionId: SID });
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) log.append(delta("tok "));
    const ms = performance.now() - started;
    expect(log.lastSeq).toBe(100_000);
    expect(log.size).toBe(100_000); // 100k tiny events are under 16 MiB
    expect(ms).toBeLessThan(2000);
  });
});

describe("EventLog restored with holes (events a full disk never took)", () => {
  const restored = (seqs: number[], lastSeq = 0) => {
    const source = logWith(Math.max(...seqs, 0)).after(0).records.filter((r) => seqs.includes(r.event.seq));
    const log = new EventLog({ sessionId: SID });
    log.load(source, lastSeq);
    return log;
  };

  test("numbering goes on above the highest seq ever issued, not the last one on disk", () => {
    const log = restored([1, 2, 3, 7, 8], 12);
    expect(log.lastSeq).toBe(12);
    expect(log.append(delta("next")).event.seq).toBe(13);
  });

  test.each([
    // afterSeq, expected seqs, gap
    [0, [1, 2, 3, 7, 8], true],
    [3, [7, 8], true],
    [6, [7, 8], false],
    [7, [8], false],
    [8, [], true],
    [12, [], false],
  ] as const)("after(%s) returns what is there and says when some is missing", (afterSeq, seqs, gap) => {
    const r = restored([1, 2, 3, 7, 8], 12).after(afterSeq);
    expect(r.records.map((x) => x.event.seq)).toEqual(seqs);
    expect(r.gap).toBe(gap);
  });

  test("get finds a record across a hole and nothing inside it", () => {
    const log = restored([1, 2, 3, 7, 8]);
    expect(log.get(7)?.event.seq).toBe(7);
    expect(log.get(5)).toBeUndefined();
  });

  test("load refuses seqs that do not increase", () => {
    const records = logWith(3).after(0).records;
    expect(() => new EventLog({ sessionId: SID }).load([records[1]!, records[0]!])).toThrow(/does not follow/);
  });
});
