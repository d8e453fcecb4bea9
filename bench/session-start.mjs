// Benchmark 5: `streamStart {prompt}` -> first `streamData`, with the REAL Claude CLI against the fake Messages API,
// cold (WARM_POOL=0) and warm (WARM_POOL=1), next to the bare CLI (floor) to its first text delta.
import { randomUUID } from "node:crypto";
import { childPids, cmdline, cpuTicks, REAL_CLAUDE, spawnTracked, startDaemonChild, stopChild, tempDir } from "./lib/procs.mjs";
import { CLI_ARGS, connect, initialize, isTextDelta, lineWhere, realClaudeEnv, startFakeApi, userMessage } from "./lib/real-cli.mjs";
import { sleep, summarize } from "./lib/stats.mjs";
import { turnOf } from "./lib/turn.mjs";
import { waitingFor } from "./lib/waits.mjs";

export async function floorOnce(env, cwd, warm) {
  const sessionId = randomUUID();
  const t0 = performance.now();
  const child = spawnTracked(REAL_CLAUDE, CLI_ARGS(sessionId), { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  try {
    child.stdin.write(initialize());
    if (!warm) {
      child.stdin.write(userMessage(sessionId, "hello"));
      return (await lineWhere(child, isTextDelta, "first text delta")) - t0;
    }
    await lineWhere(child, (l) => l.includes('"control_response"'), "initialize response");
    await waitIdle(child.pid);
    const t1 = performance.now();
    child.stdin.write(userMessage(sessionId, "hello"));
    return (await lineWhere(child, isTextDelta, "first text delta")) - t1;
  } finally {
    child.stdin.end();
    await stopChild(child, 3000);
  }
}

/** Waits until a process has used no CPU for `quietMs` (an initialized CLI waiting on stdin). */
function waitIdle(pid, quietMs = 300, timeoutMs = 20_000) {
  return waitingFor(`pid ${pid} to use no CPU for ${quietMs} ms`, waitIdleUnmarked(pid, quietMs, timeoutMs));
}
async function waitIdleUnmarked(pid, quietMs, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  let last = cpuTicks(pid);
  let quietSince = performance.now();
  while (performance.now() < deadline) {
    await sleep(50);
    const now = cpuTicks(pid);
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= quietMs) return;
  }
  throw new Error(`process ${pid} did not go idle within ${timeoutMs} ms`);
}

/** The daemon's warm spare: a CLI child of the daemon that is not any session's, idle after its initialize. */
function waitForSpare(daemonPid, taken, timeoutMs = 30_000) {
  return waitingFor(`the daemon's (pid ${daemonPid}) warm spare`, waitForSpareUnmarked(daemonPid, taken, timeoutMs));
}
async function waitForSpareUnmarked(daemonPid, taken, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const spare = childPids(daemonPid).find((pid) => !taken.has(pid) && cmdline(pid).some((a) => a.includes("claude")));
    if (spare !== undefined) {
      await waitIdle(spare);
      return spare;
    }
    await sleep(50);
  }
  throw new Error(`no warm spare appeared within ${timeoutMs} ms`);
}

async function daemonOnce(ws, cwd) {
  const requestId = randomUUID();
  const t0 = performance.now();
  const turn = turnOf(ws, requestId);
  ws.send(JSON.stringify({ type: "streamStart", requestId, data: { prompt: "hello", workingDirectory: cwd } }));
  const { sessionId, firstDataAt } = await turn;
  // Close the session so the next run starts from the same state (its CLI exits: the caller waits for that).
  ws.send(JSON.stringify({ type: "streamClose", requestId: `close-${requestId}`, sessionId, data: {} }));
  return { ms: firstDataAt - t0, sessionId };
}

/** Waits until none of `pids(daemonPid)` is left: the closed session's CLI has exited (a leftover would load the next run). */
function cliGone(daemonPid, isSessionCli, timeoutMs = 15_000) {
  return waitingFor(`the closed session's CLI (a child of pid ${daemonPid}) to exit`, (async () => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const left = childPids(daemonPid).filter(isSessionCli);
      if (left.length === 0) return;
      if (performance.now() > deadline) throw new Error(`the closed session's CLI (pid ${left.join(", ")}) still runs after ${timeoutMs} ms`);
      await sleep(50);
    }
  })());
}

export async function benchSessionStart({ runs, warmup = true, log }) {
  const api = await startFakeApi();
  const claudeConfig = tempDir("cc-bench-claude-config-");
  const env = await realClaudeEnv(api, claudeConfig);
  const cwd = tempDir("cc-bench-real-work-");
  try {
    // One untimed CLI run first (not in --quick): the CLI's own first start in a fresh config dir is slower.
    if (warmup) await floorOnce(env, cwd, false);
    const floor = { cold: [], warm: [] };
    for (let i = 0; i < runs; i++) {
      floor.cold.push(await floorOnce(env, cwd, false));
      floor.warm.push(await floorOnce(env, cwd, true));
    }
    log(`  CLI floor cold ${floor.cold.map(Math.round).join(", ")} ms; warm ${floor.warm.map(Math.round).join(", ")} ms`);

    const daemonRuns = {};
    for (const [mode, pool] of [["cold", "0"], ["warm", "1"]]) {
      const daemon = await startDaemonChild({ env: { CLAUDE_CLI_PATH: REAL_CLAUDE, WARM_POOL: pool, MAX_SESSIONS: "10" }, childEnv: env, workDir: cwd });
      try {
        const ws = await connect(daemon);
        const times = [];
        const taken = new Set();
        const first = warmup ? -1 : 0;
        for (let i = first; i < runs; i++) {
          if (pool !== "0") taken.add(await waitForSpare(daemon.pid, taken));
          const { ms } = await daemonOnce(ws, cwd);
          if (i >= 0) times.push(ms); // run -1 warms up the daemon's own code paths
          // The closed session's CLI exits; wait for that so the next run starts alone.
          await cliGone(daemon.pid, (p) => taken.has(p) || (pool === "0" && cmdline(p).some((a) => a.includes("claude"))));
        }
        daemonRuns[mode] = times;
        log(`  daemon ${mode}: ${times.map(Math.round).join(", ")} ms`);
        ws.close();
      } finally {
        await daemon.close();
      }
    }
    const out = {
      floorColdMs: summarize(floor.cold),
      floorWarmMs: summarize(floor.warm),
      daemonColdMs: summarize(daemonRuns.cold),
      daemonWarmMs: summarize(daemonRuns.warm),
    };
    out.warmOverFloorMs = out.daemonWarmMs.median - out.floorWarmMs.median;
    out.coldOverWarm = out.daemonColdMs.median / out.daemonWarmMs.median;
    out.goal = "warm within 30 ms of the warm CLI floor; warm >= 3.5x faster than cold";
    out.met = out.warmOverFloorMs <= 30 && out.coldOverWarm >= 3.5;
    return out;
  } finally {
    await api.close();
  }
}

/** The bare CLI, cold: spawn + initialize + `LONG n` at once; ms to its last text delta, and its stdout bytes. */
