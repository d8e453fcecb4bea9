// The benchmark's report (bench/lib): one line per goal of issue 20 with its value, floor, ratio and verdict, and the
// results section of docs/BENCHMARKS.md rewritten between its markers only. Pure, not timed.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { writeResultsSection } from "../../bench/lib/docs.mjs";
import { goalRows } from "../../bench/lib/goals.mjs";

const s = (median: number) => ({ median, min: median, max: median, runs: 1 });
// Shaped as the rows return them; numbers chosen so that some goals are met and some missed.
const results = {
  startup: { realCli: { ms: s(300), longestHealthWaitMs: s(40) }, bareNodeMs: s(100), ratio: s(3) },
  idle: { sessions: 50, events: 5000, emptyMb: s(58), historyMb: s(61), addedMb: s(3), bareNodeMb: s(41) },
  long: { tokens: 5000, daemonKb: s(126), floorStdoutKb: s(1409), daemonMs: s(737), floorMs: s(786), ratio: s(0.94), deflateKb: s(15), deflateMs: s(764), deflateRatio: s(0.97) },
  latency: { rows: [{ sessions: 1, clientsPerSession: 1, daemon: { p99: s(14) }, floor: { p99: s(3) }, p99AddedOverFloor: s(11) }] },
  history: { sessions: 2000, megabytes: 94, coldMs: s(700), floorReadAllMs: s(150), cachedMs: s(140), floorEmptyListMs: s(5), rssGrowthMb: s(30), floorRssGrowthMb: s(1), addedMb: 29 },
  phone: { error: "phone: no result within 420 s; it was waiting for: the replay of session x" },
};

describe("bench: issue 20's goals", () => {
  test("every goal has one line: value, floor of the same run, ratio, target, verdict", () => {
    const rows = goalRows(results);
    expect(rows.map((r) => r[0]!.split(" ")[0])).toEqual(["1.", "2a.", "2b.", "3a.", "3b.", "3c.", "3d.", "4a.", "4b.", "5a.", "5b.", "5c."]);
    for (const r of rows) expect(r).toHaveLength(6);
    const by = (n: string) => rows.find((r) => r[0]!.startsWith(n))!;
    expect(by("1.").slice(1, 4)).toEqual(["300 (300–300)", "node -e 0: 100 (100–100)", "3.00× (per run 3.00 (3.00–3.00)); longest /health wait while starting 40 (40–40) ms"]);
    expect(by("1.")[5]).toBe("**missed**");
    expect(by("2a.")[5]).toBe("met");
    expect(by("2b.")[2]).toBe("empty history: 58.0 (58.0–58.0)");
    expect(by("3c.")[3]).toBe("+11.00 (11.00–11.00) ms");
    expect(by("5c.")[5]).toBe("**missed**");
    // A row that failed (here past its time bound) is a missed goal with the reason, not a silent gap.
    expect(by("4a.")[1]).toMatch(/^row failed: phone: no result within 420 s; it was waiting for/);
    expect(by("4a.")[5]).toBe("**missed**");
  });

  test("a goal whose row was not run says how to run it", () => {
    const rows = goalRows({ startup: results.startup });
    expect(rows.find((r) => r[0]!.startsWith("5a."))!.slice(1)).toEqual(["not in this run (--only=history runs it)", "–", "–", "< 5000 ms", "–"]);
  });

  test("the run's section replaces only what is between the markers of docs/BENCHMARKS.md", () => {
    const doc = join(mkdtempSync(join(tmpdir(), "cc-bench-doc-")), "BENCHMARKS.md");
    const real = readFileSync(join(import.meta.dirname, "../../docs/BENCHMARKS.md"), "utf8");
    writeFileSync(doc, real);
    const run = { results: { startedAt: "2026-12-02T04:00:00.000Z", seconds: { startup: 12.5 } }, header: "2 × CPU; full run, 600 s; load average 1 1 1 at the start", goals: "| goals |", rows: "| rows |" };
    writeResultsSection(run, doc);
    const once = readFileSync(doc, "utf8");
    writeResultsSection(run, doc);
    expect(readFileSync(doc, "utf8")).toBe(once);
    const [before, after] = real.split(/<!-- bench:results:begin[^\n]*\n[\s\S]*?<!-- bench:results:end -->/);
    expect(once.startsWith(before!)).toBe(true);
    expect(once.endsWith(after!)).toBe(true);
    expect(once).toContain("## Latest run: 2026-12-02 04:00 UTC, commit `");
    expect(once).toContain("load average 1 1 1 at the start. Seconds per row: startup 12.5.");
    expect(once).toContain("| goals |\n\nEvery row:\n\n| rows |\n<!-- bench:results:end -->");
  });
});
