// The table of every benchmark row of one run (Markdown): medians with min and max, floors, comparisons, goals.
import { cell, fmt } from "./stats.mjs";

/** Every row that ran, as a Markdown table (goal rows repeat in goals.mjs's table with their floors). */
export function benchTable(r) {
  const yes = (met) => (met === true ? "yes" : met === false ? "**no**" : "–");
  const rows = [];
  if (r.throughput && !r.throughput.error) {
    const t = r.throughput;
    rows.push([`1. Relay throughput, tokens/s (long ${t.events})`, fmt(t.daemonPerSecond, 0), fmt(t.floorPerSecond, 0), `ratio ${fmt(t.ratio, 2)}`, "ratio ≥ 0.5", yes(t.met)]);
    rows.push(["1. Relay process CPU per token, µs", fmt(t.daemonCpuMicrosPerEvent, 1), fmt(t.floorCpuMicrosPerEvent, 1), "–", "–", "–"]);
    rows.push(["1. WebSocket frames for those tokens", fmt(t.daemonFrames, 0), fmt(t.floorFrames, 0), "–", "–", "–"]);
  }
  if (r.latency && !r.latency.error) {
    for (const row of r.latency.rows) {
      const d = row.daemon;
      const f = row.floor;
      const isGoal = row.sessions === 1 && row.clientsPerSession === 1;
      rows.push([
        `2. Latency p50 / p99 / max, ms, ${row.label}`,
        `${fmt(d.p50, 2)} / ${fmt(d.p99, 2)} / ${fmt(d.max, 1)}`,
        `${fmt(f.p50, 2)} / ${fmt(f.p99, 2)} / ${fmt(f.max, 1)}`,
        `p99 +${fmt(row.p99AddedOverFloor, 2)}`,
        isGoal ? "p99 added < 20 ms" : "–",
        isGoal ? yes(r.latency.met) : "–",
      ]);
    }
  }
  if (r.startup && !r.startup.error) {
    const s = r.startup;
    const ratio = s.realCli.ms.median / s.bareNodeMs.median;
    rows.push(["3. Start-up to first /health 200, ms (real CLI installed)", fmt(s.realCli.ms, 0), `node -e 0: ${fmt(s.bareNodeMs, 0)}`, `${ratio.toFixed(2)}× bare node; longest /health wait while starting ${fmt(s.realCli.longestHealthWaitMs, 0)}, "ok" at ${fmt(s.realCli.okMs, 0)}; imports: cli ${fmt(s.imports.cliEntryMs, 0)}, daemon ${fmt(s.imports.daemonGraphMs, 0)}`, "≤ 2.0× bare node", yes(ratio <= 2)]);
    if (s.fakeCli) rows.push(["3. Start-up, ms (fake CLI)", fmt(s.fakeCli.ms, 0), "–", "–", "–", "–"]);
  }
  if (r.memory && !r.memory.error) {
    const x = r.memory;
    rows.push(["4. Daemon RSS idle, MB", fmt(x.idleMb), "–", "–", "< 70 MB", yes(x.idleMb.median < 70)]);
    rows.push(["4. RSS with 10 idle sessions, MB", fmt(x.tenIdleSessionsMb), "–", "–", "–", "–"]);
    rows.push([`4. RSS after relaying ${x.events} events, MB`, fmt(x.afterRelayMb), "–", `growth ${fmt(x.growthAfterRelayPct)} %`, "growth ≤ 20 %", yes(x.growthAfterRelayPct.median <= 20)]);
  }
  if (r.idle && !r.idle.error) {
    const x = r.idle;
    rows.push(["4. Idle RSS, empty history, MB", fmt(x.emptyMb), x.bareNodeMb ? `bare node ${fmt(x.bareNodeMb)}` : "–", "–", "≤ 60 MB", yes(x.emptyMb.median <= 60)]);
    rows.push([`4. Idle RSS, ${x.sessions} closed sessions × ${x.events} events on disk, MB`, fmt(x.historyMb), "–", `+${fmt(x.addedMb)} MB over empty; start ${fmt(x.historyStartMs, 0)} ms`, "≤ +5 MB", yes(x.addedMb.median <= 5)]);
  }
  if (r.long && !r.long.error) {
    const x = r.long;
    rows.push([`5. LONG ${x.tokens} (real CLI, cold): prompt → last token, ms`, fmt(x.daemonMs, 0), fmt(x.floorMs, 0), `${fmt(x.ratio, 2)}× the CLI`, "≤ 1.15×", yes(x.ratio.median <= 1.15)]);
    rows.push([`5. Bytes on the wire for those ${x.tokens} tokens, KB`, fmt(x.daemonKb, 0), `CLI stdout ${fmt(x.floorStdoutKb, 0)}`, `${fmt(x.daemonFrames, 0)} delta frames`, "≤ 150 KB", yes(x.daemonKb.median <= 150)]);
    rows.push(["5. Same with permessage-deflate: ms / KB", `${fmt(x.deflateMs, 0)} / ${fmt(x.deflateKb, 0)}`, "–", `${fmt(x.deflateRatio, 2)}× the CLI`, "–", "–"]);
  }
  if (r.session && !r.session.error) {
    const s = r.session;
    rows.push(["5. streamStart → first streamData, cold, ms (real CLI)", fmt(s.daemonColdMs, 0), fmt(s.floorColdMs, 0), `cold/warm ${s.coldOverWarm.toFixed(2)}×`, "≥ 3.5×", yes(s.coldOverWarm >= 3.5)]);
    rows.push(["5. streamStart → first streamData, warm pool, ms", fmt(s.daemonWarmMs, 0), fmt(s.floorWarmMs, 0), `+${s.warmOverFloorMs.toFixed(0)} ms over floor`, "≤ 30 ms over floor", yes(s.warmOverFloorMs <= 30)]);
  }
  if (r.rest && !r.rest.error) {
    for (const k of ["health", "sessions"]) {
      const e = r.rest[k];
      rows.push([`6. GET ${e.path}, req/s (${r.rest.connections} connections, ${r.rest.seconds} s)`, fmt(e.requestsPerSecond, 0), "–", `p99 ${fmt(e.latencyP99Ms, 0)} ms`, "–", "–"]);
    }
  }
  if (r.slowPhone && !r.slowPhone.error) {
    const x = r.slowPhone;
    rows.push([`7. One slow phone: fast client's deltas/s beside a stalled one (long ${x.events})`, fmt(x.withSlowDeltasPerSecond, 0), `alone ${fmt(x.aloneDeltasPerSecond, 0)}`, `ratio ${fmt(x.ratio, 2)}, stalled cut with 1013 in ${x.slowCutWith1013}/${x.runs}`, "ratio ≥ 0.9", yes(x.met)]);
  }
  if (r.history && !r.history.error) {
    const h = r.history;
    rows.push([`8. GET /api/history?limit=50 over ${h.sessions} transcripts (${h.megabytes} MB), first listing, ms`, fmt(h.coldMs, 0), "–", "–", "< 5000 ms", yes(h.coldMs.median < 5000)]);
    rows.push(["8. GET /api/history, cached, ms", fmt(h.cachedMs, 1), "–", "–", "< 1000 ms", yes(h.cachedMs.median < 1000)]);
    rows.push(["8. Daemon RSS growth over those listings, MB (floor: no transcripts)", fmt(h.rssGrowthMb, 1), fmt(h.floorRssGrowthMb, 1), `+${h.addedMb.toFixed(1)} MB over floor`, "< 20 MB over floor", yes(h.addedMb < 20)]);
    rows.push(["8. Heap kept by the history cache after a GC, MB", fmt(h.retainedHeapMb, 1), "–", "–", "< 20 MB", yes(h.retainedHeapMb.median < 20)]);
  }
  if (r.phone && !r.phone.error) {
    const x = r.phone;
    const at = `Chromium ${x.viewport}, CPU ${x.throttle}× slower`;
    rows.push([`9. Phone (${at}): tap a session of ${x.openEvents} events → usable, at the bottom, ms`, fmt(x.openMs, 0), `empty session ${fmt(x.emptyOpenMs, 0)}; bare ws of the same ${x.openReplayFrames} frames ${fmt(x.bareOpenMs, 0)}`, `${x.openItems} items drawn, ${x.openNodes} DOM nodes`, "< 1500 ms", yes(x.openMet)]);
    rows.push([`9. Phone: catch-up after ${x.missedEvents} missed events, socket open → rendered, ms`, fmt(x.catchUpMs, 0), `bare ws of the same frames ${fmt(x.bareCatchUpMs, 0)}`, `from the online event ${fmt(x.catchUpFromOnlineMs, 0)} ms`, "< 2000 ms", yes(x.catchUpMet)]);
  }
  for (const [name, v] of Object.entries(r)) if (v.error) rows.push([`${name}: failed`, v.error.slice(0, 120), "", "", "", "**no**"]);
  const head = ["benchmark", "daemon: median (min–max)", "floor: median (min–max)", "comparison", "goal", "met"];
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`)].join("\n");
}
