// Looks at live processes through /proc (Linux), for tests that check what a session left running.
import { readdirSync, readFileSync } from "node:fs";

/** Live (not zombie) processes, other than this one, whose command line holds `token`. */
export function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, "utf8").includes(token)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z") found.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return found.filter((pid) => pid !== process.pid);
}

/** Live processes in process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (f[0] !== "Z" && Number(f[2]) === pgid) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}
