// Child processes of the benchmarks (daemons, relays), temp dirs, RSS from /proc; everything is cleaned up on exit.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitingFor } from "./waits.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FAKE_CLAUDE = path.join(ROOT, "test/fixtures/fake-claude.mjs");
export const REAL_CLAUDE = path.join(ROOT, "node_modules/.bin/claude");
export const BIN = path.join(ROOT, "bin/claude-companion.js");

const dirs = new Set();
const children = new Set();

export function tempDir(prefix = "cc-bench-") {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Kills every child still running and everything they started (SIGKILL, by pid) and removes the temp dirs. */
export function cleanup() {
  const pids = [];
  for (const child of children) if (child.exitCode === null && child.signalCode === null) pids.push(child.pid, ...descendants(child.pid));
  killPids(pids);
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
process.once("exit", cleanup);

/** Spawns a tracked child. */
export function spawnTracked(cmd, args, options) {
  const child = spawn(cmd, args, options);
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Resolves with the first stdout line matching `re` (its match), rejects on exit or after `timeoutMs`. */
export function waitForLine(child, re, timeoutMs = 30_000, streams = ["stdout"]) {
  return waitingFor(`a line matching ${re} from pid ${child.pid}`, new Promise((resolve, reject) => {
    let buf = "";
    let err = "";
    const timer = setTimeout(() => done(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`)), timeoutMs);
    const onData = (d) => {
      buf += d;
      const m = re.exec(buf);
      if (m) done(null, m);
      else if (buf.length > 1e6) buf = buf.slice(-1e5);
    };
    const onErr = (d) => {
      err = (err + d).slice(-8000);
    };
    const onExit = (code, signal) => done(new Error(`exited (${code ?? signal}) before ${re}; stderr: ${err.slice(-2000)}`));
    for (const s of streams) child[s].on("data", onData);
    if (!streams.includes("stderr")) child.stderr?.on("data", onErr);
    child.once("exit", onExit);
    function done(error, m) {
      clearTimeout(timer);
      for (const s of streams) child[s].off("data", onData);
      child.stderr?.off("data", onErr);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(m);
    }
  }));
}

const orphans = [];

/** Processes that stopped children left behind (then killed), since the last call: a leak to report. */
export function takeOrphans() {
  return orphans.splice(0);
}

/** A process's start time (clock ticks since boot): tells a pid from a later process that reuses it. */
function startedAt(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Stops a child: SIGTERM, then SIGKILL (to it and what it started) after `graceMs`. What it started and left running
 * once it exited (a daemon's Claude child, orphaned) gets 2 s more, then is killed by pid and reported (takeOrphans).
 */
export async function stopChild(child, graceMs = 4000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const below = descendants(child.pid).map((pid) => [pid, startedAt(pid)]);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => killPids([child.pid, ...descendants(child.pid)]), graceMs);
  await waitingFor(`pid ${child.pid} (${cmdline(child.pid).slice(0, 3).join(" ")}) to exit`, exited);
  clearTimeout(timer);
  const alive = () => below.filter(([pid, t]) => t !== undefined && startedAt(pid) === t).map(([pid]) => pid);
  for (let i = 0; i < 20 && alive().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const left = alive();
  orphans.push(...left.map(describeProcess));
  killPids(left);
}

/**
 * Starts bench/lib/daemon-child.mjs. `env` are config variables (MAX_SESSIONS, WARM_POOL, CLAUDE_CLI_PATH …),
 * `limits` server limits, `childEnv` the Claude children's environment (default: ours plus a fake-claude state dir).
 */
export async function startDaemonChild({ env = {}, limits, childEnv, workDir, nodeArgs = [] } = {}) {
  const configDir = tempDir("cc-bench-config-");
  const work = workDir ?? tempDir("cc-bench-work-");
  const opts = {
    env: { CLAUDE_CLI_PATH: FAKE_CLAUDE, ...env },
    limits,
    childEnv: childEnv ?? { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-bench-fake-state-") },
    workDir: work,
    configDir,
  };
  const child = spawnTracked(process.execPath, [...nodeArgs, path.join(ROOT, "bench/lib/daemon-child.mjs"), JSON.stringify(opts)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume();
  const m = await waitForLine(child, /READY (\{.*\})\n/);
  const info = JSON.parse(m[1]);
  return {
    ...info,
    wsUrl: info.url.replace(/^http/, "ws") + "/ws",
    workDir: work,
    configDir,
    child,
    close: () => stopChild(child),
  };
}

/** VmRSS of one process in bytes (its children are separate processes and not counted). */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** Direct children pids of a process (all its threads). */
export function childPids(pid) {
  const out = [];
  try {
    for (const tid of readdirSafe(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    /* gone */
  }
  return out;
}

/** Every process below `pid` (children, their children …), parents before their children. */
export function descendants(pid) {
  const out = [];
  const queue = childPids(pid);
  while (queue.length > 0 && out.length < 10_000) {
    const p = queue.shift();
    if (out.includes(p)) continue;
    out.push(p);
    queue.push(...childPids(p));
  }
  return out;
}

/** SIGKILL to each pid still there. */
export function killPids(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

/** "pid state age command" of a process, for a report of what was left running. */
export function describeProcess(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ageS = (readFileSync("/proc/uptime", "utf8").split(" ").map(Number)[0] ?? 0) - Number(fields[19]) / 100;
    return `${pid} ${fields[0]} ${ageS.toFixed(0)}s ${cmdline(pid).join(" ").slice(0, 160)}`;
  } catch {
    return `${pid} (gone)`;
  }
}

/** utime + stime of a process in clock ticks. */
export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

function readdirSafe(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}
