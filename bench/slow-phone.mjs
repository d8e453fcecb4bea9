// Benchmark 7: what one slow phone costs the others. A fast client streams `long N` from its session, alone and
// then with a phone subscribed to the same session that stops reading (its socket paused): the daemon's per-client
// backpressure (8 MiB by default, lowered here to 256 KiB so it is reached within a run) cuts the slow one with 1013.
import { summarize } from "./lib/stats.mjs";
import { collectTurn, daemonTarget } from "./lib/targets.mjs";

export async function benchSlowPhone({ n, runs, closeWaitMs = 3000, log }) {
  const t = await daemonTarget({ limits: { maxBufferedBytes: 256 * 1024 } });
  try {
    const fast = await t.connect();
    const sid = await t.openSession(fast);
    const warm = collectTurn(fast, t);
    t.prompt(fast, sid, `long ${Math.min(n, 5000)}`);
    await warm;
    const alone = [];
    const withSlow = [];
    let cut = 0;
    for (let r = 0; r < runs; r++) {
      let turn = collectTurn(fast, t);
      t.prompt(fast, sid, `long ${n}`);
      let res = await turn;
      alone.push((res.chars / res.ms) * 1000);

      const slow = await t.connect();
      await t.subscribe(slow, sid);
      const closed = new Promise((resolve) => slow.once("close", (code) => resolve(code)));
      slow._socket.pause(); // the phone stops reading: everything for it queues in the daemon
      turn = collectTurn(fast, t);
      t.prompt(fast, sid, `long ${n}`);
      res = await turn;
      withSlow.push((res.chars / res.ms) * 1000);
      slow._socket.resume();
      // A phone cut for its backlog is closed (1013) as soon as it reads again; one that was not stays open.
      const code = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve(null), closeWaitMs))]);
      if (code === 1013) cut++;
      slow.terminate();
      log(`  slow phone run ${r + 1}/${runs}: fast client alone ${Math.round(alone.at(-1))}/s, beside a stalled phone ${Math.round(withSlow.at(-1))}/s, stalled phone closed with ${code}`);
    }
    fast.close();
    const ratios = withSlow.map((w, i) => w / alone[i]);
    return {
      events: n,
      aloneDeltasPerSecond: summarize(alone),
      withSlowDeltasPerSecond: summarize(withSlow),
      ratio: summarize(ratios),
      slowCutWith1013: cut,
      runs,
      goal: "ratio >= 0.9 (the slow phone costs the fast one nothing)",
      met: summarize(ratios).median >= 0.9,
    };
  } finally {
    await t.close();
  }
}
