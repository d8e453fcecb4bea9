// The phone client's pure seq logic: apply strictly in order, drop duplicates, resubscribe once on a gap.
import { describe, expect, test } from "vitest";
import { backoffDelay, initialCursor, replayDone, sequence, snapshotCursor, type SeqAction, type SeqCursor } from "../../src/web/seq.js";

describe("sequence", () => {
  test.each<[string, SeqCursor, number, SeqAction, SeqCursor]>([
    ["first event", { lastSeq: 0, resyncing: false }, 1, "apply", { lastSeq: 1, resyncing: false }],
    ["next in order", { lastSeq: 7, resyncing: false }, 8, "apply", { lastSeq: 8, resyncing: false }],
    ["duplicate of the last", { lastSeq: 7, resyncing: false }, 7, "duplicate", { lastSeq: 7, resyncing: false }],
    ["older duplicate", { lastSeq: 7, resyncing: false }, 2, "duplicate", { lastSeq: 7, resyncing: false }],
    ["gap", { lastSeq: 7, resyncing: false }, 9, "gap", { lastSeq: 7, resyncing: true }],
    ["gap while resyncing", { lastSeq: 7, resyncing: true }, 12, "drop", { lastSeq: 7, resyncing: true }],
    ["in order while resyncing", { lastSeq: 7, resyncing: true }, 8, "apply", { lastSeq: 8, resyncing: true }],
    ["after a snapshot any seq is the base", { lastSeq: null, resyncing: true }, 4711, "apply", { lastSeq: 4711, resyncing: true }],
  ])("%s", (_name, cursor, seq, action, next) => {
    expect(sequence(cursor, seq)).toEqual({ action, cursor: next });
  });

  test("replayDone ends a resync, snapshotCursor waits for a base", () => {
    expect(replayDone({ lastSeq: 5, resyncing: true })).toEqual({ lastSeq: 5, resyncing: false });
    expect(snapshotCursor()).toEqual({ lastSeq: null, resyncing: true });
    expect(initialCursor()).toEqual({ lastSeq: 0, resyncing: false });
  });

  /** Simulates a flaky delivery: duplicates, reordering by reconnects, a gap that triggers a resubscribe. */
  test("every event is applied exactly once, in order, whatever the delivery", () => {
    const log = Array.from({ length: 500 }, (_, i) => i + 1);
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let cursor = initialCursor();
    const applied: number[] = [];
    // The "server": sends from a position; the client may see the stream cut, duplicated or skipping.
    let pos = 0;
    let resubscribes = 0;
    while (applied.length < log.length) {
      const r = rand();
      let seq: number;
      if (r < 0.1 && pos > 3) seq = log[pos - 1 - Math.floor(rand() * 3)]!; // duplicate
      else if (r < 0.15 && pos + 2 < log.length) {
        pos += 2; // lost events: a gap
        seq = log[pos]!;
        pos++;
      } else if (pos < log.length) seq = log[pos++]!;
      else seq = log[log.length - 1]!;
      const res = sequence(cursor, seq);
      cursor = res.cursor;
      if (res.action === "apply") applied.push(seq);
      if (res.action === "gap") {
        resubscribes++;
        pos = cursor.lastSeq ?? 0; // subscribe { lastSeq }: the server replays after it
        cursor = replayDone(cursor);
      }
    }
    expect(applied).toEqual(log);
    expect(resubscribes).toBeGreaterThan(0);
  });
});

describe("backoffDelay", () => {
  test.each([
    [0, 0, 250],
    [0, 1, 500],
    [1, 1, 1000],
    [3, 1, 4000],
    [4, 0.5, 6000],
    [5, 1, 10_000],
    [50, 1, 10_000],
    [50, 0, 5000],
  ])("attempt %i with random %f -> %i ms", (attempt, r, ms) => {
    expect(backoffDelay(attempt, () => r)).toBe(ms);
  });
});
