// Floors measured in the same run as the rows that compare with them: a bare node's idle RSS.
import { rssBytes, spawnTracked, stopChild } from "./procs.mjs";
import { sleep, summarize } from "./stats.mjs";
import { waitingFor } from "./waits.mjs";

/** RSS (MB) of a bare node that only waits (a timer), `settleMs` after it started; `runs` times. */
export async function bareNodeRssMb({ runs, settleMs }) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnTracked(process.execPath, ["-e", "setInterval(() => {}, 1e6); process.stdout.write('up\\n')"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      await waitingFor(`a bare node (pid ${child.pid}) to start`, new Promise((resolve, reject) => {
        child.stdout.once("data", resolve);
        child.once("exit", (code) => reject(new Error(`bare node exited ${code}`)));
      }));
      await sleep(settleMs);
      out.push(rssBytes(child.pid) / 1024 / 1024);
    } finally {
      await stopChild(child, 2000);
    }
  }
  return summarize(out);
}
