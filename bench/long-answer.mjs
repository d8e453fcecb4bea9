// Benchmark 5b (issue 20, goal 3): a `LONG n` answer with the real CLI, cold: prompt -> last token and bytes on the wire,
// the daemon without and with permessage-deflate, next to the bare CLI (its time and its stdout bytes).
import { randomUUID } from "node:crypto";
import { REAL_CLAUDE, spawnTracked, startDaemonChild, stopChild, tempDir } from "./lib/procs.mjs";
import { CLI_ARGS, connect, initialize, isTextDelta, realClaudeEnv, startFakeApi, userMessage } from "./lib/real-cli.mjs";
import { summarize } from "./lib/stats.mjs";
import { waitingFor } from "./lib/waits.mjs";
import { floorOnce } from "./session-start.mjs";

async function floorLongOnce(env, cwd, n) {
  const sessionId = randomUUID();
  const t0 = performance.now();
  const child = spawnTracked(REAL_CLAUDE, CLI_ARGS(sessionId), { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  try {
    let lastDelta = 0;
    let bytes = 0;
    let tokens = 0;
    const done = waitingFor(`the bare CLI (pid ${child.pid}): the result of LONG ${n}`, new Promise((resolve, reject) => {
      let buf = "";
      const timer = setTimeout(() => reject(new Error(`CLI floor (pid ${child.pid}): no result of LONG ${n} within 120 s`)), 120_000);
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
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`CLI exited ${code}`));
      });
    }));
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
  const ws = await connect(daemon, deflate);
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
    await waitingFor(`the daemon's streamComplete of LONG ${n}${deflate ? " (deflate)" : ""}`, new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no streamComplete of LONG ${n} within 120 s (${frames} delta frames)`)), 120_000);
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
    }));
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
export async function benchLongAnswer({ runs, n, warmup = true, log }) {
  const api = await startFakeApi();
  const env = await realClaudeEnv(api, tempDir("cc-bench-claude-config-"));
  const cwd = tempDir("cc-bench-long-work-");
  const daemon = await startDaemonChild({ env: { CLAUDE_CLI_PATH: REAL_CLAUDE, WARM_POOL: "0", MAX_SESSIONS: "10" }, childEnv: env, workDir: cwd });
  try {
    // Untimed: the CLI's first start in a fresh config dir is slower; the daemon's first turn compiles its paths.
    if (warmup) {
      await floorOnce(env, cwd, false);
      await daemonLongOnce(daemon, cwd, 100, false);
    }
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
