// Benchmarks 1 and 2: relay throughput and latency of the daemon against the floor (a bare ws relay of the same CLI).
// Runs of the daemon and the floor alternate, so both see the same noise of a shared machine.
import { latencySummary, summarize } from "./lib/stats.mjs";
import { cpuTicks } from "./lib/procs.mjs";
import { collectTurn, daemonTarget, floorTarget } from "./lib/targets.mjs";

/**
 * 1. `long N` in one session, one subscribed client: tokens/s (one-character deltas) from the first delta to the
 * completion frame. The daemon coalesces deltas, so it sends far fewer frames than the floor for the same tokens.
 */
export async function benchThroughput({ n, runs, warmupN, log }) {
  const targets = [await floorTarget(), await daemonTarget()];
  try {
    const open = [];
    for (const t of targets) {
      const ws = await t.connect();
      const sid = await t.openSession(ws);
      // Warm-up turn: JIT, buffers, the session's first-turn events.
      const warm = collectTurn(ws, t);
      t.prompt(ws, sid, `long ${warmupN}`);
      await warm;
      open.push({ t, ws, sid });
    }
    const rates = { floor: [], daemon: [] };
    // CPU time of the relay process per event: far less sensitive to a busy machine than events/s.
    const cpu = { floor: [], daemon: [] };
    const frames = { floor: [], daemon: [] };
    const ratios = [];
    for (let r = 0; r < runs; r++) {
      const pair = {};
      for (const { t, ws, sid } of open) {
        const turn = collectTurn(ws, t);
        const ticks0 = cpuTicks(t.pid);
        t.prompt(ws, sid, `long ${n}`);
        const res = await turn;
        const ticks = cpuTicks(t.pid) - ticks0;
        if (res.chars !== n) throw new Error(`${t.name}: ${res.chars} tokens of ${n}`);
        pair[t.name] = (n / res.ms) * 1000;
        rates[t.name].push(pair[t.name]);
        frames[t.name].push(res.frames);
        // Clock ticks are 10 ms: µs per token.
        cpu[t.name].push((ticks * 10_000) / n);
      }
      ratios.push(pair.daemon / pair.floor);
      log(`  throughput run ${r + 1}/${runs}: floor ${Math.round(pair.floor)} tokens/s (${cpu.floor.at(-1).toFixed(1)} µs CPU/token, ${frames.floor.at(-1)} frames), daemon ${Math.round(pair.daemon)} tokens/s (${cpu.daemon.at(-1).toFixed(1)} µs CPU/token, ${frames.daemon.at(-1)} frames)`);
    }
    for (const { ws } of open) ws.close();
    return {
      events: n,
      floorPerSecond: summarize(rates.floor),
      daemonPerSecond: summarize(rates.daemon),
      ratio: summarize(ratios),
      floorCpuMicrosPerEvent: summarize(cpu.floor),
      daemonCpuMicrosPerEvent: summarize(cpu.daemon),
      floorFrames: summarize(frames.floor),
      daemonFrames: summarize(frames.daemon),
      goal: "ratio >= 0.5",
      met: summarize(ratios).median >= 0.5,
    };
  } finally {
    await Promise.all(targets.map((t) => t.close()));
  }
}

/** The send stamps in a delta's text (`ts=<Date.now()> ` per token; a coalesced delta carries several). */
function stampsOf(text) {
  const out = [];
  for (let i = text.indexOf("ts="); i !== -1; i = text.indexOf("ts=", i + 3)) out.push(Number(text.slice(i + 3, i + 16)));
  return out;
}

/** Grows `pool` (sessions of `t`, each with its owner socket) to `k` sessions, opened 10 at a time. */
async function ensureSessions(t, pool, k) {
  while (pool.length < k) {
    const batch = Math.min(10, k - pool.length);
    const opened = await Promise.all(
      Array.from({ length: batch }, async () => {
        const owner = await t.connect();
        return { sid: await t.openSession(owner), owner };
      }),
    );
    pool.push(...opened);
  }
}

/** `sessions` sessions of the pool with `clients` subscribed clients each (extra clients are new sockets). */
async function setUp(t, pool, sessions, clients) {
  await ensureSessions(t, pool, sessions);
  const out = [];
  for (const { sid, owner } of pool.slice(0, sessions)) {
    const extra = await Promise.all(
      Array.from({ length: clients - 1 }, async () => {
        const ws = await t.connect();
        await t.subscribe(ws, sid);
        return ws;
      }),
    );
    out.push({ sid, owner, sockets: [owner, ...extra], extra });
  }
  return out;
}

/** One turn of `rate R N` in every session at once; latency samples of every client. */
async function latencyRun(t, setup, rate, n) {
  const samples = [];
  const origin = performance.timeOrigin;
  const turns = [];
  for (const { sockets } of setup) {
    for (const ws of sockets) {
      turns.push(collectTurn(ws, t, { onDelta: (text, at) => { for (const st of stampsOf(text)) samples.push(origin + at - st); } }));
    }
  }
  for (const { sid, owner } of setup) t.prompt(owner, sid, `rate ${rate} ${n}`);
  const results = await Promise.all(turns);
  const expected = results.length * n;
  if (samples.length !== expected) throw new Error(`${t.name}: ${samples.length} samples of ${expected}`);
  return latencySummary(samples);
}

/**
 * 2. Latency for each {sessions, clients} configuration, daemon and floor alternating per run. One daemon
 * and one floor serve every configuration; their sessions are reused (a configuration of k sessions
 * uses the first k), so only the largest configuration's CLIs are ever spawned.
 */
export async function benchLatency({ configs, rate, n, warmupN, runs, log }) {
  const rows = [];
  const targets = [await floorTarget(), await daemonTarget()];
  const pools = new Map(targets.map((t) => [t, []]));
  try {
    for (const { sessions, clients, label } of configs) {
      const setups = [];
      for (const t of targets) {
        const setup = await setUp(t, pools.get(t), sessions, clients);
        await latencyRun(t, setup, rate, warmupN);
        setups.push({ t, setup });
      }
      const per = { floor: [], daemon: [] };
      for (let r = 0; r < runs; r++) {
        for (const { t, setup } of setups) per[t.name].push(await latencyRun(t, setup, rate, n));
        const f = per.floor.at(-1);
        const d = per.daemon.at(-1);
        log(`  latency ${label} run ${r + 1}/${runs}: p99 floor ${f.p99.toFixed(2)} ms, daemon ${d.p99.toFixed(2)} ms`);
      }
      const pick = (list, k) => summarize(list.map((x) => x[k]));
      const added = per.daemon.map((d, i) => d.p99 - per.floor[i].p99);
      rows.push({
        label,
        sessions,
        clientsPerSession: clients,
        eventsPerSessionPerRun: n,
        floor: { p50: pick(per.floor, "p50"), p99: pick(per.floor, "p99"), max: pick(per.floor, "max") },
        daemon: { p50: pick(per.daemon, "p50"), p99: pick(per.daemon, "p99"), max: pick(per.daemon, "max") },
        p99AddedOverFloor: summarize(added),
      });
      for (const { setup } of setups) for (const { extra } of setup) for (const ws of extra) ws.close();
    }
  } finally {
    for (const pool of pools.values()) for (const { owner } of pool) owner.close();
    await Promise.all(targets.map((t) => t.close()));
  }
  const one = rows.find((r) => r.sessions === 1 && r.clientsPerSession === 1);
  return { rate, rows, goal: "p99 added over the floor < 20 ms at 1 session (deltas are coalesced for up to 12 ms)", met: one ? one.p99AddedOverFloor.median < 20 : null };
}
