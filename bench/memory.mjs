// Benchmark 4: the daemon's own RSS (`start` in a child; its Claude children are other processes) idle, with 10 idle
// sessions, and after relaying N events through one of them.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
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

/** Writes `sessions` closed sessions of `events` events each into `<configDir>/sessions`, as this build writes them. */
function writeHistory(configDir, sessions, events) {
  const dir = path.join(configDir, "sessions");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  for (let s = 0; s < sessions; s++) {
    const sessionId = randomUUID();
    const sid = JSON.stringify(sessionId);
    const lines = [];
    let ts = now - 3600_000 + s * 1000;
    for (let seq = 1; seq <= events; seq++) {
      const data = seq === 1 ? { promptId: randomUUID(), text: `question ${s}`, images: 0 } : { kind: "delta", messageId: "msg_1", index: 0, text: `word${seq} `.repeat(8) };
      lines.push(`{"seq":${seq},"sessionId":${sid},"ts":${ts++},"type":"${seq === 1 ? "userMessage" : "streamData"}","data":${JSON.stringify(data)}}`);
    }
    const text = lines.join("\n") + "\n";
    writeFileSync(path.join(dir, `${sessionId}.jsonl`), text, { mode: 0o600 });
    const summary = { messageCount: 1, transcript: true, lastResult: null, openPermissions: [], lastState: "closed", lastActivity: ts, title: `question ${s}`, lastMessage: `question ${s}`, bytes: Buffer.byteLength(text) };
    const meta = { version: 1, sessionId, workingDirectory: configDir, createdAt: now - 3600_000, permissionMode: "default", closedAt: ts, lastSeq: events, summary };
    writeFileSync(path.join(dir, `${sessionId}.json`), JSON.stringify(meta) + "\n", { mode: 0o600 });
  }
}

/** Idle RSS of a daemon started on a config dir (with or without history), `settleMs` after it listens. */
async function idleOnce({ settleMs, history }) {
  const configDir = tempDir("cc-bench-idle-");
  if (history) writeHistory(configDir, history.sessions, history.events);
  const env = { ...process.env, CLAUDE_COMPANION_CONFIG_DIR: configDir, CLAUDE_CLI_PATH: FAKE_CLAUDE, WARM_POOL: "0", LOG_FORMAT: "json", AUTH_TOKEN: randomBytes(24).toString("base64url") };
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [BIN, "start", "--host", "127.0.0.1", "--port", "0", "--no-bonjour"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr.resume();
  try {
    await waitForLine(child, /Listening on (\S+)\n/);
    const startMs = performance.now() - t0;
    child.stdout.resume();
    await sleep(settleMs);
    return { rss: rssBytes(child.pid), startMs };
  } finally {
    await stopChild(child, 12_000);
  }
}

/** 4b. Idle RSS with an empty history and with `sessions` x `events` closed sessions on disk, alternating. */
export async function benchIdleHistory({ runs, settleMs, sessions, events, log }) {
  const empty = [];
  const full = [];
  for (let i = 0; i < runs; i++) {
    empty.push(await idleOnce({ settleMs }));
    full.push(await idleOnce({ settleMs, history: { sessions, events } }));
    log(`  idle run ${i + 1}/${runs}: empty ${(empty.at(-1).rss / MB).toFixed(1)} MB, ${sessions} x ${events} events on disk ${(full.at(-1).rss / MB).toFixed(1)} MB (start ${Math.round(full.at(-1).startMs)} ms)`);
  }
  const out = {
    sessions,
    events,
    emptyMb: summarize(empty.map((r) => r.rss / MB)),
    historyMb: summarize(full.map((r) => r.rss / MB)),
    addedMb: summarize(full.map((r, i) => (r.rss - empty[i].rss) / MB)),
    historyStartMs: summarize(full.map((r) => r.startMs)),
    goal: "idle <= 60 MB with an empty history; within +5 MB with the history on disk",
  };
  out.met = out.emptyMb.median <= 60 && out.addedMb.median <= 5;
  return out;
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
    const turn = collectTurn(ws, { isDelta: (t) => t.includes('"kind":"delta"'), deltaText: (t) => JSON.parse(t).data.text, isComplete: (t) => t.includes('"type":"streamComplete"') });
    ws.send(JSON.stringify({ type: "streamSend", requestId: "relay", sessionId, data: { prompt: `long ${events}` } }));
    const res = await turn;
    if (res.chars !== events) throw new Error(`relay: ${res.chars} tokens of ${events}`);
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
