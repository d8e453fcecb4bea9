// A benchmark row's time bound: past it the row fails with what it was waiting for, and every process it started is killed by pid.
import { cmdline, describeProcess, descendants, killPids } from "./procs.mjs";
import { clearWaits, pendingWaits } from "./waits.mjs";

/** The benchmark's own processes (children and theirs), esbuild's service process excepted: later rows build with it. */
export function benchProcesses() {
  return descendants(process.pid).filter((pid) => !cmdline(pid).some((a) => a.includes("esbuild")));
}

/**
 * Runs `run()`; if it has not settled within `seconds`, kills the benchmark's processes (by pid) and rejects with
 * what the row was waiting for and what was killed. The overrun row's code may go on failing in the background.
 */
export async function withinBound(name, seconds, run) {
  let timer;
  const overrun = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const waiting = pendingWaits();
      const pids = benchProcesses();
      const procs = pids.map(describeProcess);
      killPids(pids);
      clearWaits();
      reject(
        new Error(
          `${name}: no result within ${seconds} s; it was waiting for: ${waiting.join("; ") || "nothing marked"}; ` +
            `killed ${procs.length} process${procs.length === 1 ? "" : "es"}${procs.length ? `: ${procs.join(" | ")}` : ""}`,
        ),
      );
    }, seconds * 1000);
  });
  try {
    return await Promise.race([run(), overrun]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * After a row: processes it left running (a leaked Claude child would load the next rows), given `graceMs` to exit,
 * then killed by pid. Returns their descriptions (empty when none was left).
 */
export async function reapLeftovers(graceMs = 3000) {
  const deadline = performance.now() + graceMs;
  let pids = benchProcesses();
  while (pids.length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pids = benchProcesses();
  }
  const left = pids.map(describeProcess);
  killPids(pids);
  return left;
}
