// Benchmark 3: `claude-companion start` spawned -> first 200 from /health, plus what its imports cost.
import { BIN, FAKE_CLAUDE, REAL_CLAUDE, spawnTracked, stopChild, tempDir, waitForLine, ROOT } from "./lib/procs.mjs";
import { summarize } from "./lib/stats.mjs";
import { waitingFor } from "./lib/waits.mjs";
import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * One start: ms from spawn to the first 200 of /health (the port comes from the `listening` log line); then /health
 * polled until it says "ok" (the whole daemon loaded): the longest one waited (a request that arrives while a module
 * graph is evaluated waits for it) and the ms to "ok".
 */
export async function startOnce(cliPath, bin = BIN) {
  const configDir = tempDir("cc-bench-start-");
  const env = { ...process.env, CLAUDE_COMPANION_CONFIG_DIR: configDir, WARM_POOL: "0", LOG_FORMAT: "json", CLAUDE_CLI_PATH: cliPath };
  delete env.AUTH_TOKEN;
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [bin, "start", "--host", "127.0.0.1", "--port", "0", "--no-bonjour"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    // The JSON log line "listening" comes as soon as the socket is bound (before the banner and QR code).
    const m = await waitForLine(child, /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"|Listening on (\S+)/, 30_000, ["stdout", "stderr"]);
    const url = m[1] ?? m[2];
    return await waitingFor(`/health of ${url} (pid ${child.pid}) to answer 200, then "ok"`, (async () => {
      let firstMs;
      let longestWaitMs = 0;
      for (let tries = 0; ; tries++) {
        const sent = performance.now();
        const res = await fetch(`${url}/health`).catch(() => null);
        const body = res?.status === 200 ? await res.json() : null;
        const at = performance.now();
        if (body) {
          firstMs ??= at - t0;
          longestWaitMs = Math.max(longestWaitMs, at - sent);
          if (body.status !== "starting") return { ms: firstMs, longestWaitMs, okMs: at - t0 };
        }
        if (at - t0 > 30_000) throw new Error(`${url}/health: not "ok" within 30 s (${tries} tries, last ${res?.status ?? "no answer"} ${body?.status ?? ""})`);
        await new Promise((r) => setTimeout(r, 2));
      }
    })());
  } finally {
    await stopChild(child);
  }
}

/** The floor: ms from spawn to the exit of a bare `node -e 0`, spawned the same way as `start`. */
async function bareNodeOnce() {
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, ["-e", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node -e 0 (pid ${child.pid}) did not exit within 30 s`)), 30_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
  });
  return waitingFor(`node -e 0 (pid ${child.pid}) to exit`, exited);
}

/** ms to import a module in a fresh node (`spec` relative to the repo root), best of `runs`. */
function importMs(spec, runs) {
  const code = `const t=performance.now();await import(${JSON.stringify(spec)});process.stdout.write(String(performance.now()-t))`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    times.push(Number(execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" })));
  }
  return summarize(times);
}

export async function benchStartup({ runs, withFakeCli = true, importRuns = Math.min(runs, 5), log }) {
  const variants = [
    { name: "Claude CLI installed (real `claude --version` on the start path)", key: "realCli", cli: REAL_CLAUDE },
    ...(withFakeCli ? [{ name: "fake CLI (a node script)", key: "fakeCli", cli: FAKE_CLAUDE }] : []),
  ];
  const out = {};
  // The floor alternates with the real-CLI starts, so each ratio compares two runs under the same load.
  const bare = [];
  const ratios = [];
  for (const v of variants) {
    const starts = [];
    for (let i = 0; i < runs; i++) {
      if (v.key === "realCli") bare.push(await bareNodeOnce());
      starts.push(await startOnce(v.cli));
      if (v.key === "realCli") ratios.push(starts.at(-1).ms / bare.at(-1));
    }
    const pick = (k) => summarize(starts.map((s) => s[k]));
    out[v.key] = { label: v.name, ms: pick("ms"), longestHealthWaitMs: pick("longestWaitMs"), okMs: pick("okMs") };
    log(`  start-up (${v.key}): ${starts.map((t) => Math.round(t.ms)).join(", ")} ms; longest /health wait while starting ${starts.map((t) => Math.round(t.longestWaitMs)).join(", ")} ms${v.key === "realCli" ? `; node -e 0 beside them: ${bare.map((t) => Math.round(t)).join(", ")} ms` : ""}`);
  }
  out.bareNodeMs = summarize(bare);
  out.ratio = summarize(ratios);
  // Where the time goes: the CLI entry, the daemon's module graph (each imported in a fresh node; the bare node is above).
  out.imports = {
    cliEntryMs: importMs(path.join(ROOT, "dist/cli.js"), importRuns),
    daemonGraphMs: importMs(path.join(ROOT, "dist/index.js"), importRuns),
  };
  out.goal = "start -> first /health 200 <= 2.0x a bare node -e 0 of the same run";
  out.met = out.realCli.ms.median / out.bareNodeMs.median <= 2;
  return out;
}
