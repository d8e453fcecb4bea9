// Every process a session owns (its Claude and all it starts): sampled on a timer, held to the limits, listed, stopped one by one or all together.
import type { Logger } from "pino";
import type { ProcessTree } from "../claude/process-tree.js";
import type { NewSessionEvent } from "../protocol/events.js";
import { CompanionError } from "../protocol/errors.js";
import type { SessionInfo, SessionProcess } from "../protocol/sessions.js";
import { createLimitReactions, type LimitReactions } from "./limit-reactions.js";
import type { ProcessSlot } from "./process-slot.js";
import { ResourceMonitor } from "./resource-monitor.js";
import { defaultProcessTree, SessionTree, toSessionProcess } from "./session-tree.js";
import type { TurnRunner } from "./turns.js";
import type { SessionLimits } from "./types.js";

export interface SessionProcessesOptions {
  sessionId: string;
  /** Default: the /proc-based one shared by every session. */
  processTree?: ProcessTree;
  limits: SessionLimits;
  logger: Logger;
  slot: ProcessSlot;
  turns: TurnRunner;
  emit: (event: NewSessionEvent) => void;
}

export class SessionProcesses {
  private readonly tree: SessionTree;
  private readonly overLimit: LimitReactions;
  private readonly monitor: ResourceMonitor;

  constructor(private readonly options: SessionProcessesOptions) {
    const { sessionId, limits, logger, slot, turns, emit } = options;
    this.tree = new SessionTree({
      sessionId,
      tree: options.processTree ?? defaultProcessTree(),
      limits,
      logger,
      // A process being stopped is not the root of the tree any more: one RESOURCE_LIMIT per process.
      claude: () => slot.usable,
      onMemory: (rssMb, sample) => this.overLimit.onMemory(rssMb, sample),
      onCpu: (offenders, cpu) => this.overLimit.onCpu(offenders, cpu),
    });
    this.overLimit = createLimitReactions({ limits, logger, emit, slot, turns, tree: this.tree });
    this.monitor = new ResourceMonitor({ intervalMs: limits.statsIntervalMs, tick: () => this.tree.tick(), logger });
  }

  /** Starts sampling (and the limit checks after each sample). */
  watch(): void {
    this.monitor.start();
  }

  unwatch(): void {
    this.monitor.stop();
  }

  /** SessionInfo.process for the live Claude (`pid`), null while none runs. */
  info(pid: number | undefined, now: number): SessionInfo["process"] {
    return this.tree.processInfo(pid, now);
  }

  /** The session's processes now, its Claude excluded (tool commands, background jobs). */
  background(): SessionProcess[] {
    return this.tree.children().map(toSessionProcess);
  }

  /** Stops one background process and what runs below it (SIGTERM, then SIGKILL). Throws PROCESS_NOT_IN_SESSION. */
  async stopOne(pid: number): Promise<{ terminated: number; killed: number }> {
    const member = this.tree.children().find((m) => m.pid === pid);
    if (!member) throw new CompanionError("PROCESS_NOT_IN_SESSION", { pid, sessionId: this.options.sessionId });
    this.options.logger.info({ pid, command: member.command }, "stopping a background process at a client's request");
    return this.tree.stopSome([member]);
  }

  /** Claude is stopped on its own schedule (stdin EOF first); everything else it started gets SIGTERM at once, then the rest. */
  async stopAll(interruptFirst: boolean): Promise<void> {
    const { slot } = this.options;
    const claudePid = slot.current?.pid;
    const others = this.tree.stop(claudePid !== undefined ? [claudePid] : []);
    await slot.close(interruptFirst);
    await others;
    await this.tree.stop();
  }
}
