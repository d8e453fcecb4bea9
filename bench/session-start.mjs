// Benchmark 5: `streamStart {prompt}` -> first `streamData`, with the REAL Claude CLI against the fake Messages API,
// cold (WARM_POOL=0) and warm (WARM_POOL=1), next to the bare CLI (floor) to its first text delta.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import WebSocket from "ws";
import { childPids, cmdline, cpuTicks, REAL_CLAUDE, ROOT, spawnTracked, startDaemonChild, stopChild, tempDir } from "./lib/procs.mjs";
import { sleep, summarize } from "./lib/stats.mjs";

/** The fake Messages API fixture (TypeScript) compiled for this run. */
async function startFakeApi() {
  const outfile = path.join(tempDir("cc-bench-api-"), "fake-anthropic-api.mjs");
  await build({ entryPoints: [path.join(ROOT, "test/fixtures/fake-anthropic-api.ts")], outfile, format: "esm", platform: "node", logLevel: "error" });
  const { startFakeAnthropicApi } = await import(outfile);
  return startFakeAnthropicApi();
}

/** As test/helpers/fake-api.ts realClaudeEnv: offline, against the fake API, with a private config dir. */
function realClaudeEnv(api, configDir) {
  const tmp = path.join(configDir, "tmp");
  mkdirSync(tmp, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: tmp,
    ANTHROPIC_BASE_URL: api.url,
    ANTHROPIC_API_KEY: "test",
    CLAUDE_CONFIG_DIR: configDir,
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_MAX_RETRIES: "2",
    IS_SANDBOX: "1",
  };
}

const CLI_ARGS = (sessionId) => ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--permission-prompt-tool", "stdio",
  "--permission-mode", "default", "--include-partial-messages", "--allowedTools", "Read,Write,Edit", "--session-id", sessionId];
const line = (obj) => `${JSON.stringify(obj)}\n`;
const userMessage = (sessionId, text) => line({ type: "user", message: { role: "user", content: text }, parent_tool_use_id: null, session_id: sessionId, uuid: randomUUID() });
const initialize = () => line({ type: "control_request", request_id: randomUUID(), request: { subtype: "initialize" } });

/** Waits until a stdout line satisfies `match`; resolves with performance.now() at that moment. */
function lineWhere(child, match, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => done(new Error("CLI floor: no matching line")), timeoutMs);
    const onData = (d) => {
      const at = performance.now();
      buf += d;
      let nl;
      while ((nl = buf.indexOf("\n")) !== -1) {
        const l = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (match(l)) return done(null, at);
      }
    };
    const onExit = (code) => done(new Error(`CLI exited ${code}`));
    child.stdout.on("data", onData);
    child.once("exit", onExit);
    function done(err, at) {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve(at);
    }
  });
}
const isTextDelta = (l) => l.includes('"content_block_delta"') && l.includes('"text_delta"');

/** The bare CLI: cold = spawn + initialize + user message at once; warm = the user message to an initialized, idle CLI. */
async function floorOnce(env, cwd, warm) {
  const sessionId = randomUUID();
  const t0 = performance.now();
  const child = spawnTracked(REAL_CLAUDE, CLI_ARGS(sessionId), { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  try {
    child.stdin.write(initialize());
    if (!warm) {
      child.stdin.write(userMessage(sessionId, "hello"));
      return (await lineWhere(child, isTextDelta)) - t0;
    }
    await lineWhere(child, (l) => l.includes('"control_response"'));
    await waitIdle(child.pid);
    const t1 = performance.now();
    child.stdin.write(userMessage(sessionId, "hello"));
    return (await lineWhere(child, isTextDelta)) - t1;
  } finally {
    child.stdin.end();
    await stopChild(child, 3000);
  }
}

/** Waits until a process has used no CPU for `quietMs` (an initialized CLI waiting on stdin). */
async function waitIdle(pid, quietMs = 300, timeoutMs = 20_000) {
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
  throw new Error(`process ${pid} did not go idle`);
}

/** The daemon's warm spare: a CLI child of the daemon that is not any session's, idle after its initialize. */
async function waitForSpare(daemonPid, taken, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const spare = childPids(daemonPid).find((pid) => !taken.has(pid) && cmdline(pid).some((a) => a.includes("claude")));
    if (spare !== undefined) {
      await waitIdle(spare);
      return spare;
    }
    await sleep(50);
  }
  throw new Error("no warm spare appeared");
}

function connect(daemon) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(daemon.wsUrl, { headers: { Authorization: `Bearer ${daemon.token}` }, perMessageDeflate: false });
    ws.once("message", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** streamStart {prompt} -> the first streamData (delta) frame, then closes the session. */
async function daemonOnce(ws, cwd) {
  const requestId = randomUUID();
  let sessionId;
  const t0 = performance.now();
  const first = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no streamData within 30 s")), 30_000);
    const onMessage = (d) => {
      const at = performance.now();
      const text = String(d);
      if (!sessionId && text.includes(requestId)) sessionId = JSON.parse(text).sessionId;
      if (text.includes('"type":"sessionError"')) console.error(`  session error: ${text.slice(0, 300)}`);
      if (text.includes('"type":"streamData"')) {
        clearTimeout(timer);
        ws.off("message", onMessage);
        resolve(at);
      }
    };
    ws.on("message", onMessage);
  });
  ws.send(JSON.stringify({ type: "streamStart", requestId, data: { prompt: "hello", workingDirectory: cwd } }));
  const ms = (await first) - t0;
  // Let the turn finish, then close the session so the next run starts from the same state.
  await new Promise((resolve) => {
    const onMessage = (d) => {
      if (String(d).includes('"type":"streamComplete"')) {
        ws.off("message", onMessage);
        resolve();
      }
    };
    ws.on("message", onMessage);
  });
  ws.send(JSON.stringify({ type: "streamClose", requestId: `close-${requestId}`, sessionId, data: {} }));
  return { ms, sessionId };
}

export async function benchSessionStart({ runs, warmup = true, log }) {
  const api = await startFakeApi();
  const claudeConfig = tempDir("cc-bench-claude-config-");
  const env = realClaudeEnv(api, claudeConfig);
  const cwd = tempDir("cc-bench-real-work-");
  try {
    // One untimed CLI run first: the CLI's own first start in a fresh config dir is slower.
    await floorOnce(env, cwd, false);
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
          const deadline = performance.now() + 10_000;
          while (performance.now() < deadline && childPids(daemon.pid).some((p) => taken.has(p) || (pool === "0" && cmdline(p).some((a) => a.includes("claude"))))) await sleep(50);
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
async function floorLongOnce(env, cwd, n) {
  const sessionId = randomUUID();
  const t0 = performance.now();
  const child = spawnTracked(REAL_CLAUDE, CLI_ARGS(sessionId), { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  try {
    let lastDelta = 0;
    let bytes = 0;
    let tokens = 0;
    const done = new Promise((resolve, reject) => {
      let buf = "";
      const timer = setTimeout(() => reject(new Error("CLI floor: no result")), 120_000);
      child.stdout.on("data", (d) => {
        const at = performance.now();
        bytes += d.length;
        buf += d;
        let nl;
        while ((nl = buf.indexOf("\n")) !== -1) {
          const l = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (isTextDelta(l)) {
            lastDelta = at;
            tokens++;
          }
          if (l.includes('"type":"result"')) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once("exit", (code) => reject(new Error(`CLI exited ${code}`)));
    });
    child.stdin.write(initialize());
    child.stdin.write(userMessage(sessionId, `LONG ${n}`));
    await done;
    if (tokens !== n) throw new Error(`CLI floor: ${tokens} deltas of ${n}`);
    return { ms: lastDelta - t0, bytes };
  } finally {
    child.stdin.end();
    await stopChild(child, 3000);
  }
}

/** The daemon, cold (WARM_POOL=0): streamStart `LONG n` -> the last delta frame; bytes read off the TCP socket for the turn. */
async function daemonLongOnce(daemon, cwd, n, deflate) {
  const ws = await new Promise((resolve, reject) => {
    const s = new WebSocket(daemon.wsUrl, { headers: { Authorization: `Bearer ${daemon.token}` }, perMessageDeflate: deflate });
    s.once("message", () => resolve(s));
    s.once("error", reject);
  });
  try {
    if (deflate !== ws.extensions.includes("permessage-deflate")) throw new Error(`deflate ${deflate} but extensions '${ws.extensions}'`);
    const tcp = ws._socket;
    const bytes0 = tcp.bytesRead;
    const requestId = randomUUID();
    let sessionId;
    let lastDelta = 0;
    let frames = 0;
    let chars = 0;
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no streamComplete within 120 s")), 120_000);
      ws.on("message", (d) => {
        const at = performance.now();
        const text = String(d);
        if (!sessionId && text.includes(requestId)) sessionId = JSON.parse(text).sessionId;
        if (text.includes('"kind":"delta"')) {
          lastDelta = at;
          frames++;
          chars += JSON.parse(text).data.text.length;
        }
        if (text.includes('"type":"streamComplete"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      ws.send(JSON.stringify({ type: "streamStart", requestId, data: { prompt: `LONG ${n}`, workingDirectory: cwd } }));
    });
    const bytes = tcp.bytesRead - bytes0;
    ws.send(JSON.stringify({ type: "streamClose", requestId: `close-${requestId}`, sessionId, data: {} }));
    const expected = Array.from({ length: n }, (_, i) => `t${i} `).join("").length;
    if (chars !== expected) throw new Error(`daemon: ${chars} characters of ${expected}`);
    return { ms: lastDelta - t0, bytes, frames };
  } finally {
    ws.close();
  }
}

/** 5b. A `LONG n` answer with the real CLI, cold: prompt -> last token, daemon (deflate off and on) next to the bare CLI. */
export async function benchLongAnswer({ runs, n, log }) {
  const api = await startFakeApi();
  const env = realClaudeEnv(api, tempDir("cc-bench-claude-config-"));
  const cwd = tempDir("cc-bench-long-work-");
  const daemon = await startDaemonChild({ env: { CLAUDE_CLI_PATH: REAL_CLAUDE, WARM_POOL: "0", MAX_SESSIONS: "10" }, childEnv: env, workDir: cwd });
  try {
    await floorOnce(env, cwd, false);
    await daemonLongOnce(daemon, cwd, 100, false);
    const floor = [];
    const plain = [];
    const packed = [];
    for (let i = 0; i < runs; i++) {
      floor.push(await floorLongOnce(env, cwd, n));
      plain.push(await daemonLongOnce(daemon, cwd, n, false));
      packed.push(await daemonLongOnce(daemon, cwd, n, true));
      log(`  LONG ${n} run ${i + 1}/${runs}: CLI ${Math.round(floor.at(-1).ms)} ms; daemon ${Math.round(plain.at(-1).ms)} ms ${Math.round(plain.at(-1).bytes / 1024)} KB (${plain.at(-1).frames} delta frames); deflate ${Math.round(packed.at(-1).ms)} ms ${Math.round(packed.at(-1).bytes / 1024)} KB`);
    }
    const pick = (list, k, div = 1) => summarize(list.map((x) => x[k] / div));
    const out = {
      tokens: n,
      floorMs: pick(floor, "ms"),
      floorStdoutKb: pick(floor, "bytes", 1024),
      daemonMs: pick(plain, "ms"),
      daemonKb: pick(plain, "bytes", 1024),
      daemonFrames: pick(plain, "frames"),
      deflateMs: pick(packed, "ms"),
      deflateKb: pick(packed, "bytes", 1024),
      ratio: summarize(plain.map((p, i) => p.ms / floor[i].ms)),
      deflateRatio: summarize(packed.map((p, i) => p.ms / floor[i].ms)),
      goal: "<= 150 KB on the wire; last token within 1.15x the bare CLI",
    };
    out.met = out.daemonKb.median <= 150 && out.ratio.median <= 1.15;
    return out;
  } finally {
    await daemon.close();
    await api.close();
  }
}
