// A session's process tree: what its Claude started (found by marker, group and parentage), sampled and stopped together.
import { commandOf, isSameProcess, PROC_AVAILABLE, rssOf, scanProcesses, startedAtOf, type ProcEntry } from "./proc-table.js";
import { sampleProcess } from "./stats.js";

/** One process of a session's tree. */
export interface TreeMember {
  pid: number;
  /** /proc/<pid>/stat field 22: pid + start time name one process, so a reused pid is never signalled. */
  startTime: string;
  ppid: number;
  /** Command line, trimmed to 200 characters. */
  command: string;
  /** CPU % since this process's previous sample (100 = one core; 0 on its first). */
  cpu: number;
  rssBytes: number;
  /** ms since epoch. */
  startedAt: number;
  /** It is the session's Claude process itself. */
  claude: boolean;
  /** It left the session's kernel session (setsid) or was reparented away from Claude: found by its marker only. */
  detached: boolean;
}

export interface TreeSample {
  /** ms since epoch. */
  at: number;
  members: TreeMember[];
  cpu: number;
  rssBytes: number;
}

export interface StopReport {
  /** Processes sent SIGTERM. */
  terminated: number;
  /** Processes that outlived the grace period and got SIGKILL. */
  killed: number;
}

export interface StopTreeOptions {
  /** The session's Claude process, if one runs (its group and descendants belong to the tree). */
  rootPid?: number;
  /** Leave these pids alone (Claude itself while it is being stopped on its own schedule). */
  exclude?: number[];
  /** Only these pids (and what runs below them), e.g. one background process the user stops. */
  only?: { pid: number; startTime: string }[];
  /** SIGKILL after this. Default 3000 ms. */
  graceMs?: number;
}

export interface ProcessTree {
  /** The tree now, with CPU and RSS; the Claude process alone where /proc is missing. */
  sample(sessionId: string, rootPid?: number): Promise<TreeSample>;
  /** The tree's members now (no CPU figures): cheap, for membership checks. */
  members(sessionId: string, rootPid?: number): TreeMember[];
  /** SIGTERM, then SIGKILL after the grace period; resolves when none is left (or after a last second). */
  stop(sessionId: string, options?: StopTreeOptions): Promise<StopReport>;
  /** Synchronous SIGKILL of what a killed daemon left: its Claude (verified by start time) and group, and every marked process. */
  killSurvivors(sessionId: string, survivor?: { pid: number; startTime: string }): number;
}

/** The members of `sessionId` in a scan: marked, in Claude's group, or below any member. */
export function treeEntries(entries: ProcEntry[], sessionId: string, rootPid?: number): ProcEntry[] {
  const inTree = new Set<number>();
  const children = new Map<number, ProcEntry[]>();
  for (const e of entries) {
    if (e.pid === process.pid) continue;
    const list = children.get(e.ppid);
    if (list) list.push(e);
    else children.set(e.ppid, [e]);
    if (e.marker === sessionId || (rootPid !== undefined && (e.pid === rootPid || e.pgid === rootPid))) inTree.add(e.pid);
  }
  // Below a member is a member, even with a cleared environment (env -i) or a new group.
  const queue = [...inTree];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (child.pid === process.pid || inTree.has(child.pid)) continue;
      inTree.add(child.pid);
      queue.push(child.pid);
    }
  }
  return entries.filter((e) => inTree.has(e.pid));
}

function isBelow(entries: Map<number, ProcEntry>, e: ProcEntry, ancestors: Set<number>): boolean {
  for (let p: ProcEntry | undefined = e, hops = 0; p && hops < 64; p = entries.get(p.ppid), hops++) if (ancestors.has(p.pid)) return true;
  return false;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

function signal(pid: number, startTime: string, sig: NodeJS.Signals): boolean {
  if (!isSameProcess(pid, startTime)) return false;
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

export function createProcessTree(): ProcessTree {
  // Previous CPU time per process identity, for CPU % between two samples of a tree.
  const previous = new Map<string, { cpuMs: number; at: number }>();

  const toMember = (e: ProcEntry, sessionId: string, rootPid: number | undefined, rootSid: number | undefined): TreeMember => ({
    pid: e.pid,
    startTime: e.startTime,
    ppid: e.ppid,
    command: commandOf(e.pid),
    cpu: 0,
    rssBytes: 0,
    startedAt: startedAtOf(e.startTime),
    claude: e.pid === rootPid,
    detached: e.marker === sessionId && e.pid !== rootPid && (rootSid === undefined || e.sid !== rootSid),
  });

  const members = (sessionId: string, rootPid?: number): TreeMember[] => {
    const entries = scanProcesses();
    const rootSid = entries.find((e) => e.pid === rootPid)?.sid;
    return treeEntries(entries, sessionId, rootPid).map((e) => toMember(e, sessionId, rootPid, rootSid));
  };

  const targets = (sessionId: string, options: StopTreeOptions): ProcEntry[] => {
    const all = scanProcesses(true);
    let tree = treeEntries(all, sessionId, options.rootPid);
    if (options.only) {
      const byPid = new Map(all.map((e) => [e.pid, e]));
      const roots = new Set(options.only.filter((o) => byPid.get(o.pid)?.startTime === o.startTime).map((o) => o.pid));
      tree = tree.filter((e) => isBelow(byPid, e, roots));
    }
    const exclude = new Set(options.exclude ?? []);
    return tree.filter((e) => !exclude.has(e.pid));
  };

  return {
    async sample(sessionId, rootPid) {
      const at = Date.now();
      if (!PROC_AVAILABLE) {
        const stats = rootPid !== undefined ? await sampleProcess(rootPid) : null;
        const root: TreeMember[] = stats && rootPid !== undefined
          ? [{ pid: rootPid, startTime: "", ppid: process.pid, command: "", cpu: stats.cpu, rssBytes: stats.rssBytes, startedAt: at, claude: true, detached: false }]
          : [];
        return { at, members: root, cpu: stats?.cpu ?? 0, rssBytes: stats?.rssBytes ?? 0 };
      }
      const entries = scanProcesses();
      const tree = treeEntries(entries, sessionId, rootPid);
      const rootSid = tree.find((e) => e.pid === rootPid)?.sid;
      const now = performance.now();
      const list = tree.map((e) => {
        const m = toMember(e, sessionId, rootPid, rootSid);
        const key = `${e.pid}:${e.startTime}`;
        const before = previous.get(key);
        previous.set(key, { cpuMs: e.cpuMs, at: now });
        m.cpu = before && now > before.at ? Math.max(0, ((e.cpuMs - before.cpuMs) / (now - before.at)) * 100) : 0;
        m.rssBytes = rssOf(e.pid);
        return m;
      });
      const alive = new Set(entries.map((e) => `${e.pid}:${e.startTime}`));
      for (const key of previous.keys()) if (!alive.has(key)) previous.delete(key);
      return { at, members: list, cpu: list.reduce((n, m) => n + m.cpu, 0), rssBytes: list.reduce((n, m) => n + m.rssBytes, 0) };
    },

    members: (sessionId, rootPid) => (PROC_AVAILABLE ? members(sessionId, rootPid) : []),

    async stop(sessionId, options = {}) {
      const report: StopReport = { terminated: 0, killed: 0 };
      if (!PROC_AVAILABLE) return report;
      const graceMs = options.graceMs ?? 3000;
      const signalled = new Map<number, string>();
      const deadline = performance.now() + graceMs;
      // SIGTERM to every member, again for any that appears meanwhile (a shell forking as it dies).
      for (;;) {
        const now = targets(sessionId, options);
        for (const e of now) {
          if (signalled.get(e.pid) === e.startTime) continue;
          if (signal(e.pid, e.startTime, "SIGTERM")) report.terminated++;
          signalled.set(e.pid, e.startTime);
        }
        if (now.length === 0) return report;
        if (performance.now() >= deadline) break;
        await delay(100);
      }
      for (let round = 0; round < 10; round++) {
        const left = targets(sessionId, options);
        if (left.length === 0) break;
        for (const e of left) if (signal(e.pid, e.startTime, "SIGKILL")) report.killed++;
        await delay(100);
      }
      return report;
    },

    killSurvivors(sessionId, survivor) {
      if (!PROC_AVAILABLE) return 0;
      let n = 0;
      const rootPid = survivor && isSameProcess(survivor.pid, survivor.startTime) ? survivor.pid : undefined;
      // Its group first (it leads one: spawned detached), then everything marked or below it.
      if (rootPid !== undefined) {
        try {
          process.kill(-rootPid, "SIGKILL");
          n++;
        } catch {
          /* not a group leader (an older daemon spawned it): the tree below catches it */
        }
      }
      for (const e of treeEntries(scanProcesses(true), sessionId, rootPid)) if (signal(e.pid, e.startTime, "SIGKILL")) n++;
      return n;
    },
  };
}
