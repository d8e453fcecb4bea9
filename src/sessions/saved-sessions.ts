// Sessions on disk taken up again (after a restart, or resumed once no longer kept in memory): their logs read lazily under one byte budget, what a killed daemon left running stopped first.
import type { Logger } from "pino";
import type { ProcessTree } from "../claude/process-tree.js";
import { EventLog, type EventLogLimits, type LogRecord } from "./event-log.js";
import { LogCache } from "./log-cache.js";
import type { SessionOptions } from "./session.js";
import type { PersistedSession } from "./store.js";
import type { SpawnSettings } from "./types.js";

export interface SavedSessionsOptions {
  now: () => number;
  logger: Logger;
  eventLogLimits?: EventLogLimits;
  persist?: (record: LogRecord) => void;
  processTree: ProcessTree;
  /** The daemon's spawn settings; a saved session's mode and model go over them. */
  defaultSpawn: SpawnSettings;
}

export interface SavedSessions {
  /** The log of a session on disk: its seq goes on from the file's, its events are read when asked for. */
  log(saved: PersistedSession): EventLog;
  /** What a restored session is built from; processes a daemon killed with -9 left running are stopped first. */
  restoreInput(saved: PersistedSession): Pick<SessionOptions, "id" | "workingDirectory" | "spawn" | "resume" | "log" | "restored" | "grants">;
}

export function createSavedSessions(options: SavedSessionsOptions): SavedSessions {
  const { now, logger, persist, processTree, defaultSpawn } = options;
  // Restored logs stay on disk until a client asks for them; once read they share one byte budget.
  const logCache = new LogCache();
  const log = ({ meta, lastSeq, read }: PersistedSession): EventLog =>
    new EventLog({
      sessionId: meta.sessionId,
      now,
      ...options.eventLogLimits,
      ...(persist ? { persist } : {}),
      onError: (err, where) => logger.error({ err, where, sessionId: meta.sessionId }, "session event log hook failed"),
      source: { lastSeq, read, cache: logCache },
    });
  return {
    log,
    restoreInput(saved) {
      const { meta, restored } = saved;
      const savedLog = log(saved);
      const spawn: SpawnSettings = { ...defaultSpawn, permissionMode: meta.permissionMode };
      if (meta.model !== undefined) spawn.model = meta.model;
      // A daemon killed with -9 left its Claude (and what it started) running: stopped before any --resume.
      const killed = processTree.killSurvivors(meta.sessionId, meta.claude);
      if (killed > 0) logger.warn({ sessionId: meta.sessionId, processes: killed, pid: meta.claude?.pid }, "stopped processes a previous daemon left running");
      return { id: meta.sessionId, workingDirectory: meta.workingDirectory, spawn, resume: restored.transcript, log: savedLog, restored, grants: meta.grants ?? [] };
    },
  };
}
