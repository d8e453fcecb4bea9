// What a session does when its processes go over a resource limit: RESOURCE_LIMIT or a warning, the turn cut, the tree stopped.
import type { Logger } from "pino";
import type { TreeSample } from "../claude/process-tree.js";
import type { NewSessionEvent } from "../protocol/events.js";
import type { ProcessSlot } from "./process-slot.js";
import type { SessionTree, TreeOffender } from "./session-tree.js";
import { errorEvent } from "./session-events.js";
import type { Turn, TurnRunner } from "./turns.js";
import type { SessionLimits } from "./types.js";

export interface LimitReactionsOptions {
  limits: SessionLimits;
  logger: Logger;
  emit: (event: NewSessionEvent) => void;
  slot: ProcessSlot;
  turns: TurnRunner;
  tree: SessionTree;
}

export interface LimitReactions {
  /** The tree's RSS went over memoryLimitMb: everything is stopped, the running turn cut. */
  onMemory(rssMb: number, sample: TreeSample): void;
  /** The tree stayed over cpuLimitPercent for the window: a warning, or the busiest processes stopped. */
  onCpu(offenders: TreeOffender[], cpu: number): void;
}

export function createLimitReactions(options: LimitReactionsOptions): LimitReactions {
  const { limits, logger, emit, slot, turns, tree } = options;
  return {
    onMemory(rssMb, sample) {
      const limitMb = limits.memoryLimitMb;
      const proc = slot.usable;
      const stopped = sample.members.map((m) => ({ pid: m.pid, command: m.command, rssMb: Math.round(m.rssBytes / 1048576) }));
      logger.warn({ rssMb, limitMb, processes: stopped.length }, "the session's processes are over the memory limit; stopping them");
      emit(errorEvent("RESOURCE_LIMIT", {
        reason: `The session's processes used ${rssMb} MB of memory, over the limit of ${limitMb} MB.`,
        stopped: describeProcesses(stopped),
      }, { kind: "memory", rssMb, limitMb, processes: stopped }));
      const turn: Turn | undefined = turns.current;
      if (proc && turn && turn.process === proc) turns.abort(turn, "resource-limit", false);
      if (proc) slot.retire(proc);
      tree.hold(Promise.all([slot.retired(), tree.stop(proc?.pid !== undefined ? [proc.pid] : [])]));
    },

    onCpu(offenders, cpu) {
      const { cpuLimitPercent: limitPercent, cpuLimitWindowMs: windowMs, cpuLimitAction } = limits;
      const reason = `The session's processes used ${cpu}% CPU for ${Math.round(windowMs / 1000)} s, over the limit of ${limitPercent}%.`;
      const top = offenders[0];
      logger.warn({ cpu, limitPercent, windowMs, action: cpuLimitAction, pids: offenders.map((o) => o.pid) }, "runaway CPU in a session");
      if (cpuLimitAction === "warn") {
        emit({ type: "warning", data: { message: `${reason} Busiest: ${describeProcesses(offenders)}.`, kind: "cpu", ...(top ? { process: top } : {}), processes: offenders } });
        return;
      }
      emit(errorEvent("RESOURCE_LIMIT", { reason, stopped: describeProcesses(offenders) }, { kind: "cpu", cpu, limitPercent, windowMs, processes: offenders }));
      const proc = slot.usable;
      const claudeIsOffender = proc?.pid !== undefined && offenders.some((o) => o.pid === proc.pid);
      const turn: Turn | undefined = turns.current;
      if (turn) {
        turn.interrupted = true;
        if (claudeIsOffender && turn.process === proc) turns.abort(turn, "resource-limit", false);
        else if (turn.process?.alive) void turn.process.interrupt().catch((err: unknown) => logger.warn({ err }, "interrupt was not acknowledged"));
      }
      if (claudeIsOffender && proc) slot.retire(proc);
      const others = tree.sample?.members.filter((m) => m.pid !== proc?.pid && offenders.some((o) => o.pid === m.pid)) ?? [];
      tree.hold(Promise.all([slot.retired(), others.length > 0 ? tree.stopSome(others) : undefined]));
    },
  };
}

function describeProcesses(list: { pid: number; command: string }[]): string {
  return list.map((p) => `${p.command || "?"} (pid ${p.pid})`).join(", ") || "none";
}
