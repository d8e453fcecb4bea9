// Benchmark 6: GET /health and GET /api/sessions requests/s at 50 connections (autocannon), daemon in a child
// process with the /api rate limit raised (120/min per address by default would answer 429 after two seconds).
import autocannon from "autocannon";
import { startDaemonChild } from "./lib/procs.mjs";
import { summarize } from "./lib/stats.mjs";

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export async function benchRest({ runs, seconds, warmupSeconds = 1, connections = 50, log }) {
  const daemon = await startDaemonChild({
    env: { MAX_SESSIONS: "10" },
    limits: { requestsPerMinute: 100_000_000 },
  });
  try {
    // Two open sessions, so /api/sessions has something to serialise.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${daemon.url}/api/stream/start`, {
        method: "POST",
        headers: { Authorization: `Bearer ${daemon.token}`, "Content-Type": "application/json" },
        body: "{}",
      });
      if (res.status !== 201) throw new Error(`stream/start: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
    const endpoints = [
      { key: "health", path: "/health", headers: {} },
      { key: "sessions", path: "/api/sessions", headers: { Authorization: `Bearer ${daemon.token}` } },
    ];
    const out = { connections, seconds };
    for (const e of endpoints) {
      // A short warm-up, untimed.
      if (warmupSeconds > 0) await cannon({ url: `${daemon.url}${e.path}`, connections, duration: warmupSeconds, headers: e.headers });
      const rps = [];
      const p99 = [];
      for (let r = 0; r < runs; r++) {
        const res = await cannon({ url: `${daemon.url}${e.path}`, connections, duration: seconds, headers: e.headers });
        const bad = res.non2xx + res.errors + res.timeouts;
        if (bad > 0) throw new Error(`${e.path}: ${res.non2xx} non-2xx, ${res.errors} errors, ${res.timeouts} timeouts`);
        rps.push(res.requests.average);
        p99.push(res.latency.p99);
        log(`  REST ${e.path} run ${r + 1}/${runs}: ${Math.round(res.requests.average)} req/s, p99 ${res.latency.p99} ms`);
      }
      out[e.key] = { path: e.path, requestsPerSecond: summarize(rps), latencyP99Ms: summarize(p99) };
    }
    out.goal = "none set: reported for reference";
    return out;
  } finally {
    await daemon.close();
  }
}
