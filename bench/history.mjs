// Benchmark 7: GET /api/history over 2 000 generated Claude Code transcripts: the first (cold) listing, cached
// listings, and how much the daemon's RSS grows for the cache. Transcripts are shaped like the real CLI's
// (test/fixtures/history): bookkeeping lines with a 16 KiB API request blob, prompts, replies, tool turns.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { BIN, FAKE_CLAUDE, ROOT, rssBytes, spawnTracked, stopChild, tempDir, waitForLine } from "./lib/procs.mjs";
import { summarize } from "./lib/stats.mjs";
import { waitingFor } from "./lib/waits.mjs";

const BLOB = "x".repeat(16 * 1024);

function transcript(sessionId, cwd, i, t0) {
  const lines = [];
  let parent = null;
  const ts = (k) => new Date(t0 + i * 60_000 + k * 1000).toISOString();
  const base = (type, k) => ({ parentUuid: parent, isSidechain: false, type, uuid: randomUUID(), timestamp: ts(k), userType: "external", entrypoint: "cli", cwd, sessionId, version: "2.1.332", gitBranch: "main" });
  const push = (r) => {
    lines.push(JSON.stringify(r));
    if (r.uuid) parent = r.uuid;
  };
  const turns = 1 + (i % 4);
  for (let k = 0; k < turns; k++) {
    lines.push(JSON.stringify({ type: "queue-operation", operation: "enqueue", timestamp: ts(k), sessionId, content: `prompt ${k}` }));
    push({ ...base("user", k), promptId: randomUUID(), message: { role: "user", content: `Session ${i}: please look at module ${k} and fix the failing test` } });
    push({ ...base("attachment", k), attachment: { type: "date", date: "2026-12-01" } });
    lines.push(JSON.stringify({ type: "api-request-blob", sessionId, hash: randomUUID(), message: [{ type: "text", text: BLOB }] }));
    const id = `msg_${i}_${k}`;
    push({ ...base("assistant", k), message: { id, role: "assistant", content: [{ type: "text", text: "I will run the tests." }] } });
    push({ ...base("assistant", k), message: { id, role: "assistant", content: [{ type: "tool_use", id: `toolu_${i}_${k}`, name: "Bash", input: { command: "npm test" } }] } });
    push({ ...base("user", k), message: { role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${i}_${k}`, content: "12 passed" }] }, toolUseResult: { stdout: "12 passed", stderr: "" } });
    push({ ...base("assistant", k), message: { id: `${id}b`, role: "assistant", content: [{ type: "text", text: "All tests pass now." }] } });
    lines.push(JSON.stringify({ type: "cost-state", sessionId, totalCostUSD: 0.01 }));
  }
  return `${lines.join("\n")}\n`;
}

/** Writes `sessions` transcripts in 40 project folders of `claudeConfigDir`, recorded under `work`; returns their bytes. */
export function writeTranscripts(claudeConfigDir, work, sessions) {
  let bytes = 0;
  const t0 = Date.now() - sessions * 60_000;
  for (let i = 0; i < sessions; i++) {
    const cwd = path.join(work, `project-${i % 40}`);
    const dir = path.join(claudeConfigDir, "projects", cwd.replace(/[^A-Za-z0-9]/g, "-"));
    mkdirSync(dir, { recursive: true });
    const text = transcript(randomUUID(), cwd, i, t0);
    bytes += text.length;
    writeFileSync(path.join(dir, `${randomUUID()}.jsonl`), text);
  }
  return bytes;
}

/** The cold listing's floor: a fresh node reading every transcript's bytes (no parsing), ms inside that process. */
function readAllMs(claudeConfigDir) {
  const code = `const fs=require("fs"),p=require("path");const t=performance.now();let n=0;const walk=(d)=>{for(const e of fs.readdirSync(d,{withFileTypes:true})){const f=p.join(d,e.name);if(e.isDirectory())walk(f);else n+=fs.readFileSync(f).length}};walk(process.argv[1]);process.stdout.write(String(performance.now()-t))`;
  return Number(execFileSync(process.execPath, ["-e", code, claudeConfigDir], { encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" }));
}

/** `start` in a child on a fresh config dir, reading transcripts from `claudeConfigDir`; like startDaemonChild's result. */
async function startCommand(work, claudeConfigDir) {
  const token = randomBytes(24).toString("base64url");
  const env = { ...process.env, CLAUDE_COMPANION_CONFIG_DIR: tempDir("cc-bench-history-config-"), CLAUDE_CONFIG_DIR: claudeConfigDir, CLAUDE_CLI_PATH: FAKE_CLAUDE, WARM_POOL: "0", LOG_FORMAT: "json", AUTH_TOKEN: token };
  const child = spawnTracked(process.execPath, [BIN, "start", "--host", "127.0.0.1", "--port", "0", "--no-bonjour", "--cwd", work, "--root", work], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr.resume();
  const url = (await waitForLine(child, /Listening on (\S+)\n/))[1];
  child.stdout.resume();
  return { url, token, pid: child.pid, child, close: () => stopChild(child, 12_000) };
}

export async function benchHistory({ sessions = 2000, runs = 5, log }) {
  const claudeConfigDir = tempDir("cc-bench-claude-");
  const work = tempDir("cc-bench-history-work-");
  const bytes = writeTranscripts(claudeConfigDir, work, sessions);
  log(`  ${sessions} transcripts, ${(bytes / 1024 / 1024).toFixed(0)} MB`);
  const empty = tempDir("cc-bench-claude-empty-");
  const coldMs = [];
  const cachedMs = [];
  const rssGrowthMb = [];
  const floorGrowthMb = [];
  const floorListMs = [];
  const floorReadMs = [];
  // The floor: the same requests to a daemon with no transcripts (code loaded and compiled on first use, buffers).
  // The daemon is the real `start` (as the idle rows): what a user runs, with the V8 settings it gives itself.
  const measure = async (configDir, expectSessions) => {
    const daemon = await startCommand(work, configDir);
    try {
      const get = async () => {
        const t = performance.now();
        const res = await waitingFor(`GET /api/history of pid ${daemon.pid}`, fetch(`${daemon.url}/api/history?limit=50`, { headers: { Authorization: `Bearer ${daemon.token}` }, signal: AbortSignal.timeout(60_000) }));
        const body = await res.json();
        const ms = performance.now() - t;
        if (res.status !== 200 || body.sessions.length !== expectSessions) throw new Error(`history: HTTP ${res.status}, ${body.sessions?.length} sessions`);
        return ms;
      };
      const before = rssBytes(daemon.child.pid);
      const cold = await get();
      const cached = [];
      for (let k = 0; k < 5; k++) cached.push(await get());
      return { cold, cached, growthMb: (rssBytes(daemon.child.pid) - before) / 1024 / 1024 };
    } finally {
      await daemon.close();
    }
  };
  for (let r = 0; r < runs; r++) {
    const full = await measure(claudeConfigDir, 50);
    coldMs.push(full.cold);
    cachedMs.push(...full.cached);
    rssGrowthMb.push(full.growthMb);
    const floorRun = await measure(empty, 0);
    floorGrowthMb.push(floorRun.growthMb);
    floorListMs.push(...floorRun.cached);
    floorReadMs.push(readAllMs(claudeConfigDir));
  }
  // The cache's own size: the heap kept after a GC, in a plain process using the built room.
  const retained = [];
  for (let r = 0; r < Math.min(runs, 3); r++) {
    const out = execFileSync(process.execPath, ["--expose-gc", path.join(ROOT, "bench/lib/history-child.mjs"), claudeConfigDir], { encoding: "utf8", timeout: 120_000, killSignal: "SIGKILL" });
    retained.push(JSON.parse(out).retainedHeapMb);
  }
  const retainedHeapMb = summarize(retained);
  const cold = summarize(coldMs);
  const cached = summarize(cachedMs);
  const rss = summarize(rssGrowthMb);
  const floor = summarize(floorGrowthMb);
  const added = rss.median - floor.median;
  return { sessions, megabytes: Math.round(bytes / 1024 / 1024), coldMs: cold, cachedMs: cached, floorReadAllMs: summarize(floorReadMs), floorEmptyListMs: summarize(floorListMs), rssGrowthMb: rss, floorRssGrowthMb: floor, addedMb: added, retainedHeapMb, met: cold.median < 5000 && cached.median < 1000 && added < 20 };
}
