// The processes a session owns (its Claude and all it started): sampled together, limited together (memory, CPU), stopped together.
import type { Logger } from "pino";
import type { ClaudeProcess } from "../claude/types.js";
import { createProcessTree, type ProcessTree, type StopReport, type TreeMember, type TreeSample } from "../claude/process-tree.js";
import { isSameProcess, PROC_AVAILABLE } from "../claude/proc-table.js";
import type { SessionInfo, SessionProcess } from "../protocol/sessions.js";

/** Whether this platform lets a session find the processes it started (Linux /proc); else only Claude is seen. */
export const PROCESS_TREE_TRACKED = PROC_AVAILABLE;

const MiB = 1024 * 1024;
/** A child running this long is listed in SessionInfo.process.children. */
export const LONG_RUNNING_MS = 5000;

export type CpuLimitAction = "warn" | "stop";

export interface TreeLimits {
  /** RSS limit of the whole tree in MB; 0 disables. */
  memoryLimitMb: number;
  /** CPU % of the whole tree (100 = one core); 0 disables. */
  cpuLimitPercent: number;
  /** The tree must stay above cpuLimitPercent for this long (ms) before cpuLimitAction. */
  cpuLimitWindowMs: number;
  cpuLimitAction: CpuLimitAction;
  /** SIGTERM to SIGKILL when the tree is stopped (ms). */
  treeGraceMs: number;
}

export interface TreeOffender {
  pid: number;
  command: string;
  /** Average CPU % over the window. */
  cpu: number;
}

export interface SessionTreeOptions {
  sessionId: string;
  tree: ProcessTree;
  limits: TreeLimits;
  logger: Logger;
  /** The live Claude process to count as the tree's root (not one being retired). */
  claude: () => ClaudeProcess | undefined;
  onMemory: (rssMb: number, sample: TreeSample) => void;
  onCpu: (offenders: TreeOffender[], cpu: number) => void;
}

let shared: ProcessTree | undefined;
/** One process tree reader for every session of this daemon (its CPU deltas are per process). */
export function defaultProcessTree(): ProcessTree {
  shared ??= createProcessTree();
  return shared;
}

/** The pid of a real child whose identity is verified: a scripted or stale pid is never taken as the root. */
export function verifiedPid(proc: ClaudeProcess | undefined): number | undefined {
  if (!proc?.alive || proc.pid === undefined || proc.startTime === undefined) return undefined;
  return isSameProcess(proc.pid, proc.startTime) ? proc.pid : undefined;
}

export class SessionTree {
  private last: TreeSample | null = null;
  // CPU window: when the tree went over the limit, and each member's CPU time then.
  private overSince: number | undefined;
  private cpuSum = new Map<string, number>();
  private samples = 0;
  private sampling = false;
  // Limits are not checked while what they stopped is still stopping: one RESOURCE_LIMIT per stop.
  private held = 0;

  constructor(private readonly options: SessionTreeOptions) {}

  get sample(): TreeSample | null {
    return this.last;
  }

  /** Samples the tree, then applies the memory and CPU limits. Overlapping calls are skipped. */
  async tick(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    let sample: TreeSample;
    try {
      sample = await this.options.tree.sample(this.options.sessionId, verifiedPid(this.options.claude()));
    } catch (err) {
      this.options.logger.debug({ err }, "process tree sample failed");
      return;
    } finally {
      this.sampling = false;
    }
    this.last = sample;
    if (this.held > 0) return;
    const { memoryLimitMb } = this.options.limits;
    if (memoryLimitMb > 0 && sample.rssBytes > memoryLimitMb * MiB) {
      this.options.onMemory(Math.round(sample.rssBytes / MiB), sample);
      return;
    }
    this.checkCpu(sample);
  }

  /** No limit is checked until `stopping` settles. */
  hold(stopping: Promise<unknown>): void {
    this.held++;
    void stopping.catch(() => undefined).finally(() => this.held--);
  }

  /** Members running at least LONG_RUNNING_MS, Claude itself excluded. */
  longRunning(now: number): TreeMember[] {
    return (this.last?.members ?? []).filter((m) => !m.claude && now - m.startedAt >= LONG_RUNNING_MS);
  }

  /** The tree's members now (Claude excluded): what the processes route lists and may stop. */
  children(): TreeMember[] {
    const rootPid = verifiedPid(this.options.claude());
    const sampled = new Map((this.last?.members ?? []).map((m) => [`${m.pid}:${m.startTime}`, m]));
    return this.options.tree
      .members(this.options.sessionId, rootPid)
      .filter((m) => !m.claude && m.pid !== rootPid)
      .map((m) => {
        const s = sampled.get(`${m.pid}:${m.startTime}`);
        return s ? { ...m, cpu: s.cpu, rssBytes: s.rssBytes } : m;
      });
  }

  /** Claude's own figures plus its tree's (`pid` is the live Claude's); null while no Claude process runs. */
  processInfo(pid: number | undefined, now: number): SessionInfo["process"] {
    if (pid === undefined) return null;
    const sample = this.last;
    const root = sample?.members.find((m) => m.claude && m.pid === pid);
    return {
      pid,
      cpu: root?.cpu ?? 0,
      rssBytes: root?.rssBytes ?? 0,
      treeCpu: sample?.cpu ?? 0,
      treeRssBytes: sample?.rssBytes ?? 0,
      processCount: sample?.members.length ?? 1,
      children: this.longRunning(now).map(toSessionProcess),
    };
  }

  /** SIGTERM, then SIGKILL after the grace period, to every member (but `exclude`). */
  stop(exclude: number[] = []): Promise<StopReport> {
    return this.options.tree
      .stop(this.options.sessionId, { exclude, graceMs: this.options.limits.treeGraceMs })
      .then((report) => {
        if (report.terminated + report.killed > 0) this.options.logger.info(report, "session processes stopped");
        return report;
      });
  }

  /** Stops these members and what runs below them. */
  stopSome(members: { pid: number; startTime: string }[]): Promise<StopReport> {
    return this.options.tree.stop(this.options.sessionId, { only: members, graceMs: this.options.limits.treeGraceMs });
  }

  private checkCpu(sample: TreeSample): void {
    const { cpuLimitPercent, cpuLimitWindowMs } = this.options.limits;
    if (cpuLimitPercent <= 0) return;
    if (sample.cpu <= cpuLimitPercent) {
      this.overSince = undefined;
      return;
    }
    if (this.overSince === undefined) {
      // CPU % of a sample covers the interval before it: the window starts one interval earlier.
      this.overSince = sample.at;
      this.cpuSum = new Map();
      this.samples = 0;
    }
    for (const m of sample.members) this.cpuSum.set(`${m.pid}:${m.startTime}`, (this.cpuSum.get(`${m.pid}:${m.startTime}`) ?? 0) + m.cpu);
    this.samples++;
    if (sample.at - this.overSince < cpuLimitWindowMs) return;
    const offenders = sample.members
      .map((m) => ({ pid: m.pid, command: m.command, cpu: Math.round((this.cpuSum.get(`${m.pid}:${m.startTime}`) ?? 0) / this.samples) }))
      .sort((a, b) => b.cpu - a.cpu);
    // The fewest busiest processes whose CPU together is over the limit (at least one).
    const chosen: TreeOffender[] = [];
    let sum = 0;
    for (const o of offenders) {
      chosen.push(o);
      sum += o.cpu;
      if (sum > cpuLimitPercent) break;
    }
    this.overSince = undefined;
    this.options.onCpu(chosen, Math.round(sample.cpu));
  }
}

/** A tree member as the protocol lists it. */
export function toSessionProcess(m: TreeMember): SessionProcess {
  return { pid: m.pid, command: m.command, cpu: m.cpu, rssBytes: m.rssBytes, startedAt: m.startedAt, detached: m.detached };
}
