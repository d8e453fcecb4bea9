// How one session runs its prompts: the process slot, the turn runner, pending permissions and Claude's events, wired to each other.
import type { Logger } from "pino";
import type { ClaudeProcess, StartClaude } from "../claude/types.js";
import { createClaudeEventHandler, type ClaudeEventHandler } from "./claude-events.js";
import { recordAllowAlways } from "./grant-revoke.js";
import { PendingPermissions } from "./permissions.js";
import { ProcessSlot } from "./process-slot.js";
import { errorEvent } from "./session-events.js";
import type { SessionSettings } from "./session-settings.js";
import type { SessionStatus } from "./session-status.js";
import { TurnRunner } from "./turns.js";
import type { SessionLimits } from "./types.js";

/** What the engine needs from its session. */
export interface TurnEngineHost {
  sessionId: string;
  workingDirectory: string;
  now: () => number;
  logger: Logger;
  limits: SessionLimits;
  startClaude: StartClaude;
  status: SessionStatus;
  settings: SessionSettings;
  /** Throws FORBIDDEN_PATH when the directory may no longer be used; run before every spawn. */
  checkDirectory?: (dir: string) => void;
  /** Every process spawned for the session passes through here. */
  spawned: (proc: ClaudeProcess) => ClaudeProcess;
  /** Claude was heard from at `now` (activity, not a client's touch). */
  heard: (now: number) => void;
  /** A turn ended: the session's activity (it re-arms the idle timer). */
  touch: () => void;
}

export interface TurnEngine {
  slot: ProcessSlot;
  turns: TurnRunner;
  permissions: PendingPermissions;
}

export function createTurnEngine(host: TurnEngineHost): TurnEngine {
  const { now, logger, limits, status, settings } = host;
  const emit = status.emit.bind(status);
  // The parts call each other back; `late` holds the two built last, set before any callback can run.
  const late = {} as { turns: TurnRunner; claude: ClaudeEventHandler };
  const permissions = new PendingPermissions({
    timeoutMs: limits.permissionTimeoutMs,
    now,
    logger,
    emit,
    onSettled: () => late.turns.resumeWatch(),
    onAllowAlways: (updates, permissionId) => recordAllowAlways({ settings, status }, updates, { cwd: host.workingDirectory, permissionId, now: now() }),
    onWriteError: (proc, error) => {
      const turn = late.turns.current;
      if (turn && turn.process === proc) late.claude.onWriteFailed(turn, error);
    },
  });
  const slot = new ProcessSlot({
    startClaude: (spawnOptions) => host.spawned(host.startClaude(spawnOptions)),
    logger,
    spawnOptions: () => {
      host.checkDirectory?.(host.workingDirectory);
      return settings.spawnOptions(host.workingDirectory, host.sessionId);
    },
    onEvent: (proc, event) => late.claude.onEvent(proc, event),
    onReady: () => {
      if (status.state === "created") status.setState("ready", "ready");
    },
    onExit: (proc, exit, info) => late.claude.onExit(proc, exit, info),
  });
  const turns = new TurnRunner({
    now,
    logger,
    limits,
    slot,
    waitingOnUser: () => permissions.size > 0,
    onTurnStart: () => status.setState("turn-start", "turn-started"),
    onTurnEnd: (turn, reason, dropped) => {
      if (turn.process) permissions.cancelAll("cancelled", "The turn ended.", turn.process);
      if (!turn.completed) status.cutTurn(reason, [turn.promptId]);
      if (status.state === "closed") return false;
      status.setState("turn-end", reason, dropped);
      host.touch();
      return true;
    },
    onQueueDropped: (reason, dropped) => status.update(reason, dropped),
    onSpawnError: (error) => status.caught(error),
    onWriteError: (turn, error) => late.claude.onWriteFailed(turn, error),
    onSilence: (timeoutMs) => {
      logger.warn({ timeoutMs }, "Claude was silent during a turn; interrupting");
      emit(errorEvent("CLAUDE_TIMEOUT", { timeoutMs }));
    },
  });
  late.turns = turns;
  late.claude = createClaudeEventHandler({ now, logger, slot, turns, permissions, status, settings, heard: host.heard });
  return { slot, turns, permissions };
}
