// Benchmark 4: the daemon's own RSS (`start` in a child; its Claude children are other processes) idle, with 10 idle
// sessions, and after relaying N events through one of them.
import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { BIN, FAKE_CLAUDE, rssBytes, spawnTracked, stopChild, tempDir, waitForLine } from "./lib/procs.mjs";
import { sleep, summarize } from "./lib/stats.mjs";
import { collectTurn } from "./lib/targets.mjs";

const MB = 1024 * 1024;

function frames(ws) {
  const seen = [];
  const waiters = new Set();
  ws.on("message", (d) => {
    const text = String(d);
    if (text.includes('"kind":"delta"')) return; // the relay's deltas are counted by collectTurn
    seen.push(text);
    for (const w of waiters) w();
  });
  /** Waits until `count` frames seen so far match. */
  return (match, count = 1, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hits = seen.filter(match);
        if (hits.length >= count) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hits);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${count} frames`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
}

async function memoryOnce({ events, settleMs }) {
  const token = randomBytes(24).toString("base64url");
  const env = {
    ...process.env,
    CLAUDE_COMPANION_CONFIG_DIR: tempDir("cc-bench-mem-"),
    CLAUDE_CLI_PATH: FAKE_CLAUDE,
    FAKE_CLAUDE_STATE_DIR: tempDir("cc-bench-mem-state-"),
    AUTH_TOKEN: token,
    WARM_POOL: "0",
    MAX_SESSIONS: "20",
    LOG_FORMAT: "json",
  };
  const cwd = tempDir("cc-bench-mem-work-");
  const child = spawnTracked(process.execPath, [BIN, "start", "--host", "127.0.0.1", "--port", "0", "--no-bonjour", "--cwd", cwd, "--root", cwd], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume();
  try {
    const url = (await waitForLine(child, /Listening on (\S+)\n/))[1];
    child.stdout.resume();
    await sleep(settleMs);
    const idle = rssBytes(child.pid);

    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ws`, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
    const waitFor = frames(ws);
    await waitFor((t) => t.includes('"welcome"'));
    for (let i = 0; i < 10; i++) ws.send(JSON.stringify({ type: "streamStart", requestId: `s${i}`, data: {} }));
    const started = await waitFor((t) => t.includes('"streamStarted"'), 10);
    await waitFor((t) => t.includes('"reason":"ready"'), 10);
    await sleep(settleMs);
    const tenSessions = rssBytes(child.pid);

    const sessionId = JSON.parse(started[0]).sessionId;
    const turn = collectTurn(ws, { isDelta: (t) => t.includes('"kind":"delta"'), isComplete: (t) => t.includes('"type":"streamComplete"') });
    ws.send(JSON.stringify({ type: "streamSend", requestId: "relay", sessionId, data: { prompt: `long ${events}` } }));
    const res = await turn;
    if (res.deltas !== events) throw new Error(`relay: ${res.deltas} deltas of ${events}`);
    await sleep(settleMs);
    const afterRelay = rssBytes(child.pid);
    ws.close();
    return { idle, tenSessions, afterRelay, growth: afterRelay / tenSessions - 1 };
  } finally {
    await stopChild(child, 12_000);
  }
}

export async function benchMemory({ runs, events, settleMs, log }) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await memoryOnce({ events, settleMs });
    results.push(r);
    log(`  memory run ${i + 1}/${runs}: idle ${(r.idle / MB).toFixed(1)} MB, 10 sessions ${(r.tenSessions / MB).toFixed(1)} MB, after ${events} events ${(r.afterRelay / MB).toFixed(1)} MB`);
  }
  const mb = (k) => summarize(results.map((r) => r[k] / MB));
  const out = {
    events,
    idleMb: mb("idle"),
    tenIdleSessionsMb: mb("tenSessions"),
    afterRelayMb: mb("afterRelay"),
    growthAfterRelayPct: summarize(results.map((r) => r.growth * 100)),
    goal: "idle < 70 MB; growth after the relay <= 20 % (against 10 idle sessions)",
  };
  out.met = out.idleMb.median < 70 && out.growthAfterRelayPct.median <= 20;
  return out;
}
