// What a session does with what its Claude process says and does: stream events, permission requests, results, exits, failed writes.
import type { Logger } from "pino";
import type { ClaudeEvent, ClaudeExit, ClaudeProcess } from "../claude/types.js";
import { PERMISSION_MODES, type PermissionMode } from "../protocol/common.js";
import type { DeltaData } from "./coalesce.js";
import { isStreamClaudeEvent, mapStreamEvent } from "./map-event.js";
import type { PendingPermissions } from "./permissions.js";
import type { ProcessExitInfo, ProcessSlot } from "./process-slot.js";
import { errorEvent, fromCompanionError, toStreamComplete } from "./session-events.js";
import type { SessionSettings } from "./session-settings.js";
import type { SessionStatus } from "./session-status.js";
import { BEFORE_INIT_DETAIL } from "./start-failure.js";
import type { Turn, TurnRunner } from "./turns.js";

/** The parts of a session the handler reads and the few changes it asks of it. */
export interface ClaudeEventHost {
  now: () => number;
  logger: Logger;
  slot: ProcessSlot;
  turns: TurnRunner;
  permissions: PendingPermissions;
  /** Where events, results and state changes go. */
  status: SessionStatus;
  /** Told of a transcript started, a model reported, a mode changed (for the next spawn). */
  settings: SessionSettings;
  /** Claude was heard from at `now` (activity, not a client's touch). */
  heard: (now: number) => void;
}

export interface ClaudeEventHandler {
  onEvent(proc: ClaudeProcess, event: ClaudeEvent): void;
  onExit(proc: ClaudeProcess, exit: ClaudeExit, info: ProcessExitInfo): void;
  /** A write to Claude failed: the turn ends with an error now, and the process (its turn stuck) is stopped. */
  onWriteFailed(turn: Turn, error: unknown): void;
}

export function createClaudeEventHandler(host: ClaudeEventHost): ClaudeEventHandler {
  const { slot, turns, permissions, status, settings } = host;
  // Processes that sent system/init (took a prompt): an exit of any other is a start failure (start-failure.ts).
  const initialized = new WeakSet<ClaudeProcess>();

  const onResult = (proc: ClaudeProcess, event: Extract<ClaudeEvent, { kind: "result" }>): void => {
    settings.transcriptStarted();
    const turn = turns.current;
    // The late result of a turn already ended (its process is being stopped): that turn had its streamComplete.
    if (!turn && proc !== slot.usable) return;
    if (turn) turn.completed = true;
    const data = toStreamComplete(event, turn ? [turn.promptId] : []);
    if (event.isError && turn && !turn.interrupted && !turn.abortReason) {
      status.emit(errorEvent("CLAUDE_ERROR", { reason: event.result || event.subtype }, { subtype: event.subtype, terminalReason: event.terminalReason }));
    }
    status.complete(data);
    if (turn) turns.end(turn, turn.abortReason ?? (turn.interrupted ? "interrupted" : "turn-complete"));
  };

  return {
    onEvent(proc, event) {
      const now = host.now();
      host.heard(now);
      turns.heard(now);
      if (isStreamClaudeEvent(event)) {
        if (event.kind === "init") {
          // system/init comes once Claude has taken the user message: from now on a transcript exists.
          settings.transcriptStarted();
          initialized.add(proc);
          if (event.model !== undefined) settings.modelReported(event.model);
        }
        if (event.kind === "textDelta") status.deltas.push(mapStreamEvent(event).data as DeltaData);
        else status.emit(mapStreamEvent(event));
        return;
      }
      switch (event.kind) {
        case "permissionRequest":
          permissions.add(event, proc);
          return;
        case "permissionCancelled":
          permissions.cancel(event.requestId);
          return;
        case "permissionModeChanged":
          if ((PERMISSION_MODES as readonly string[]).includes(event.mode)) {
            settings.apply({ permissionMode: event.mode as PermissionMode });
            status.update("permission-mode-changed");
          }
          return;
        case "result":
          onResult(proc, event);
          return;
      }
    },

    onExit(proc, exit, info) {
      if (status.state === "closed") return;
      permissions.cancelAll("cancelled", "Claude Code exited.", proc);
      if (info.startError) status.emit(fromCompanionError(info.startError)); // e.g. CLAUDE_UNAVAILABLE
      else if (!exit.requested) {
        const details = { stderrTail: exit.stderrTail, [BEFORE_INIT_DETAIL]: !initialized.has(proc) };
        status.emit(errorEvent("CLAUDE_EXITED", { exitCode: exit.exitCode, signal: exit.signal }, details));
      }
      const turn = turns.current;
      if (turn && turn.process === proc) turns.end(turn, turn.abortReason ?? "claude-exited", true);
      else if (info.current && status.state === "created") status.setState("ready", "claude-exited");
      // Read again: the turn's end may have moved the state.
      if ((status.state as string) !== "closed") status.announceStartFailure();
    },

    onWriteFailed(turn, error) {
      const reason = error instanceof Error ? error.message : String(error);
      host.logger.warn({ err: error }, "a write to Claude failed; ending the turn");
      status.emit(errorEvent("CLAUDE_WRITE_FAILED", { reason }));
      // Retired first: a queued prompt then waits for a fresh process (--resume) instead of the stuck one.
      if (turn.process) slot.retire(turn.process);
      turns.end(turn, "write-failed");
    },
  };
}
