// `npm run bench [-- --quick] [-- --only=throughput,latency,startup,memory,session,rest,slowPhone,history,phone] [-- --out=file]`:
// runs the benchmarks against the built daemon (dist/), prints a Markdown table and writes bench/results.json.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { cleanup, ROOT } from "./lib/procs.mjs";
import { fmt, machine } from "./lib/stats.mjs";
import { benchLatency, benchThroughput } from "./relay.mjs";
import { benchHistory } from "./history.mjs";
import { benchIdleHistory, benchMemory } from "./memory.mjs";
import { benchRest } from "./rest.mjs";
import { benchLongAnswer, benchSessionStart } from "./session-start.mjs";
import { benchSlowPhone } from "./slow-phone.mjs";
import { benchPhone } from "./phone.mjs";
import { benchStartup } from "./startup.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const outFile = path.resolve(ROOT, args.find((a) => a.startsWith("--out="))?.slice(6) ?? "bench/results.json");
const log = (line) => process.stderr.write(`${line}\n`);

// Full: what docs/BENCHMARKS.md reports. Quick: the same code paths, fewer and shorter runs (under a minute).
const P = quick
  ? {
      throughput: { n: 20_000, runs: 3, warmupN: 2_000 },
      // 50 sessions (100 CLI processes with the floor's) take most of a minute to spawn on 2 cores: full runs only.
      latency: { rate: 1000, n: 200, warmupN: 50, runs: 3, configs: [[1, 1], [10, 1], [1, 20]] },
      startup: { runs: 3, withFakeCli: false },
      memory: { runs: 1, events: 20_000, settleMs: 500 },
      idle: { runs: 1, settleMs: 500, sessions: 50, events: 5_000 },
      session: { runs: 2, warmup: false },
      long: { runs: 1, n: 5_000 },
      rest: { runs: 1, seconds: 2, warmupSeconds: 0 },
      slowPhone: { n: 20_000, runs: 1 },
      history: { sessions: 2000, runs: 1 },
      phone: { runs: 1, openEvents: 5_000, missedEvents: 10_000 },
    }
  : {
      throughput: { n: 100_000, runs: 5, warmupN: 5_000 },
      latency: { rate: 1000, n: 2_000, warmupN: 300, runs: 5, configs: [[1, 1], [10, 1], [50, 1], [1, 20]] },
      startup: { runs: 10, withFakeCli: true },
      memory: { runs: 5, events: 100_000, settleMs: 1500 },
      idle: { runs: 5, settleMs: 1500, sessions: 50, events: 5_000 },
      session: { runs: 10, warmup: true },
      long: { runs: 5, n: 5_000 },
      rest: { runs: 5, seconds: 10, warmupSeconds: 1 },
      slowPhone: { n: 50_000, runs: 5 },
      history: { sessions: 2000, runs: 5 },
      phone: { runs: 5, openEvents: 5_000, missedEvents: 10_000 },
    };

const benches = {
  throughput: () => benchThroughput({ ...P.throughput, log }),
  latency: () =>
    benchLatency({
      ...P.latency,
      configs: P.latency.configs.map(([sessions, clients]) => ({
        sessions,
        clients,
        label: clients > 1 ? `1 session × ${clients} clients` : `${sessions} session${sessions > 1 ? "s" : ""}`,
      })),
      log,
    }),
  startup: () => benchStartup({ ...P.startup, log }),
  memory: () => benchMemory({ ...P.memory, log }),
  idle: () => benchIdleHistory({ ...P.idle, log }),
  session: () => benchSessionStart({ ...P.session, log }),
  long: () => benchLongAnswer({ ...P.long, log }),
  rest: () => benchRest({ ...P.rest, log }),
  slowPhone: () => benchSlowPhone({ ...P.slowPhone, log }),
  history: () => benchHistory({ ...P.history, log }),
  phone: () => benchPhone({ ...P.phone, log }),
};

const results = { machine: machine(), mode: quick ? "quick" : "full", startedAt: new Date().toISOString(), params: P, results: {}, seconds: {} };
const m = results.machine;
log(`machine: ${m.cores} × ${m.model}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}, load average ${m.loadAverageAtStart.join(" ")}`);

const t0 = performance.now();
let failed = false;
for (const [name, run] of Object.entries(benches)) {
  if (only && !only.includes(name)) continue;
  // Row 9 needs two long turns and a browser (about 30 s): full runs, or quick with --only=phone.
  if (quick && !only && name === "phone") {
    log("phone: full runs only (or --quick --only=phone)");
    continue;
  }
  const t = performance.now();
  log(`${name} …`);
  try {
    results.results[name] = await run();
  } catch (error) {
    failed = true;
    results.results[name] = { error: error instanceof Error ? error.message : String(error) };
    log(`  ${name} failed: ${error instanceof Error ? error.stack : error}`);
  }
  results.seconds[name] = Math.round((performance.now() - t) / 100) / 10;
}
results.totalSeconds = Math.round((performance.now() - t0) / 100) / 10;
// A shared VM: how busy it was says how far to trust the wall-clock figures.
results.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);

writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(table(results));
log(`\nwrote ${path.relative(ROOT, outFile)} (${results.totalSeconds} s)`);
cleanup();
process.exit(failed ? 1 : 0);

function table({ machine: mm, mode, results: r, loadAverageAtEnd }) {
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
    const ratio = s.realCli.ms.median / s.imports.bareNodeMs.median;
    rows.push(["3. Start-up to first /health 200, ms (real CLI installed)", fmt(s.realCli.ms, 0), `node -e 0: ${fmt(s.imports.bareNodeMs, 0)}`, `${ratio.toFixed(2)}× bare node; imports: cli ${fmt(s.imports.cliEntryMs, 0)}, daemon ${fmt(s.imports.daemonGraphMs, 0)}`, "≤ 2.0× bare node", yes(ratio <= 2)]);
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
    rows.push(["4. Idle RSS, empty history, MB", fmt(x.emptyMb), "–", "–", "≤ 60 MB", yes(x.emptyMb.median <= 60)]);
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
  const lines = [
    `\n${mm.cores} × ${mm.model}, Node ${mm.node}, ${mode} run, load average ${mm.loadAverageAtStart.join(" ")} at the start, ${loadAverageAtEnd.join(" ")} at the end\n`,
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
  return `${lines.join("\n")}\n`;
}
