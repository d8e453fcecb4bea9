// What a Session is built from: its identity, spawn settings, limits, a restored state and the manager's hooks. Types only.
import type { Logger } from "pino";
import type { ClaudeProcess, StartClaude } from "../claude/types.js";
import type { ProcessTree } from "../claude/process-tree.js";
import type { SessionGrant } from "../protocol/grants.js";
import type { EventLog, EventLogLimits, LogRecord } from "./event-log.js";
import type { RestoredState } from "./restore.js";
import type { Session } from "./session.js";
import type { SessionLimits, SpawnSettings } from "./types.js";

export interface SessionOptions {
  /** UUID v4; also Claude's session id. */
  id: string;
  /** Absolute, existing directory. */
  workingDirectory: string;
  spawn: SpawnSettings;
  /** True when Claude already has a transcript for this id (the next spawn uses --resume). */
  resume: boolean;
  startClaude: StartClaude;
  logger: Logger;
  now: () => number;
  limits: SessionLimits;
  eventLogLimits?: EventLogLimits;
  /** Called with each record before any listener (e.g. a JSONL writer); see EventLogOptions.persist. */
  persist?: (record: LogRecord) => void;
  /** A log to continue (a closed session resumed in this daemon keeps its seq numbers). */
  log?: EventLog;
  /** An already spawned process for this id (from the warm pool). */
  process?: ClaudeProcess;
  /** Called once when the session is closed, before its process has exited (`close()` then returns that wait). */
  onClosed?: (session: Session) => void;
  /** Throws FORBIDDEN_PATH when the directory may no longer be used; run before every prompt and spawn. */
  checkDirectory?: (dir: string) => void;
  /** State read back from disk after a daemon restart; the log is then given in `log`. */
  restored?: RestoredState;
  /** The processes the session owns (its Claude and all it starts). Default: the /proc-based one. */
  processTree?: ProcessTree;
  /** Called when a Claude process was spawned or adopted (its pid and start time go into the meta). */
  onSpawn?: (session: Session) => void;
  /** What "Always allow" granted it before (from its meta): given again to every process it spawns. */
  grants?: readonly SessionGrant[];
}
