// What the session manager is configured with (from the resolved config) and the per-session limits worked out from it.
import type { Logger } from "pino";
import type { ProcessTree } from "../claude/process-tree.js";
import type { StartClaude } from "../claude/types.js";
import type { EventLogLimits, LogRecord } from "./event-log.js";
import type { SessionStore } from "./store.js";
import { DEFAULT_SESSION_LIMITS, type SessionLimits, type SpawnSettings } from "./types.js";

/** Spawn settings for new sessions, from the resolved config. */
export interface SessionDefaults extends SpawnSettings {
  /** Default working directory (absolute); the warm pool spawns here. */
  cwd: string;
}

export interface SessionManagerOptions {
  startClaude: StartClaude;
  logger: Logger;
  defaults: SessionDefaults;
  /** Directories sessions may work in (after `..` and symlinks); the default directory is always allowed. Default: no limit. */
  allowedRoots?: readonly string[];
  /** Concurrent open sessions (TOO_MANY_SESSIONS beyond). Default 5. */
  maxSessions?: number;
  /** Idle ms before a session and its process close; 0 never. Default 30 min. */
  sessionTimeoutMs?: number;
  /** Silence from Claude during a turn before CLAUDE_TIMEOUT; 0 never. Default 5 min. */
  claudeTimeoutMs?: number;
  /** After a CLAUDE_TIMEOUT interrupt, ms to wait for the result before SIGKILL. Default 3000. */
  timeoutKillGraceMs?: number;
  /** Unanswered permission prompts are denied after this. Default 10 min. */
  permissionTimeoutMs?: number;
  /** Queued prompts per session (SESSION_BUSY beyond). Default 20. */
  queueLimit?: number;
  /** Spare processes for the default cwd and options; 0 disables. Default 1. */
  warmPool?: number;
  /** First wait before a dead or failed spare is replaced (doubles per failure, max 60 s). Default 1000 ms. */
  warmPoolRetryMs?: number;
  /** RSS limit per process in MB (RESOURCE_LIMIT); 0 disables. Default 2048. */
  memoryLimitMb?: number;
  /** Process stats interval in ms; 0 disables. Default 5000 (shorter when a CPU window needs it). */
  statsIntervalMs?: number;
  /** CPU_LIMIT_PERCENT: CPU % of a session's process tree that is a runaway; 0 disables. Default 0. */
  cpuLimitPercent?: number;
  /** CPU_LIMIT_WINDOW: how long the tree must stay over the limit (ms). Default 600 000. */
  cpuLimitWindowMs?: number;
  /** CPU_LIMIT_ACTION: warn (a warning event) or stop (RESOURCE_LIMIT, the offenders stopped). Default warn. */
  cpuLimitAction?: "warn" | "stop";
  /** SIGTERM to SIGKILL when a session's processes are stopped (ms). Default 3000. */
  treeGraceMs?: number;
  /** The processes sessions own (default: the /proc-based reader). */
  processTree?: ProcessTree;
  /** The warm pool fills once this resolves true (the Claude check), never when false; without it, at once. */
  warmPoolAfter?: Promise<boolean>;
  /** Closed sessions kept for get(), history and resume with the same seq numbers. Default 50. */
  closedSessionsKept?: number;
  /** Clock in ms since epoch (tests). Default Date.now. */
  now?: () => number;
  eventLogLimits?: EventLogLimits;
  /**
   * Whether Claude Code has a transcript for this id (e.g. a terminal session): `resume` of an id that is
   * neither one of ours nor a transcript is SESSION_NOT_FOUND. Without it every UUID may be resumed.
   */
  transcriptExists?: (sessionId: string) => boolean | Promise<boolean>;
  /** Sessions on disk: every event is appended before clients see it, and sessions are restored at start. */
  store?: SessionStore;
  /** Called synchronously with every record of every session before listeners see it (e.g. a JSONL writer). */
  persist?: (record: LogRecord) => void;
}

/** Each session's limits: the options over the defaults; the stats interval is shortened to sample a CPU window often enough. */
export function resolveSessionLimits(options: SessionManagerOptions): SessionLimits {
  const limits: SessionLimits = {
    queueLimit: options.queueLimit ?? DEFAULT_SESSION_LIMITS.queueLimit,
    permissionTimeoutMs: options.permissionTimeoutMs ?? DEFAULT_SESSION_LIMITS.permissionTimeoutMs,
    claudeTimeoutMs: options.claudeTimeoutMs ?? DEFAULT_SESSION_LIMITS.claudeTimeoutMs,
    timeoutKillGraceMs: options.timeoutKillGraceMs ?? DEFAULT_SESSION_LIMITS.timeoutKillGraceMs,
    sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SESSION_LIMITS.sessionTimeoutMs,
    memoryLimitMb: options.memoryLimitMb ?? DEFAULT_SESSION_LIMITS.memoryLimitMb,
    statsIntervalMs: options.statsIntervalMs ?? DEFAULT_SESSION_LIMITS.statsIntervalMs,
    cpuLimitPercent: options.cpuLimitPercent ?? DEFAULT_SESSION_LIMITS.cpuLimitPercent,
    cpuLimitWindowMs: options.cpuLimitWindowMs ?? DEFAULT_SESSION_LIMITS.cpuLimitWindowMs,
    cpuLimitAction: options.cpuLimitAction ?? DEFAULT_SESSION_LIMITS.cpuLimitAction,
    treeGraceMs: options.treeGraceMs ?? DEFAULT_SESSION_LIMITS.treeGraceMs,
  };
  // A CPU window is sampled at least four times (and never more often than every 500 ms).
  if (limits.cpuLimitPercent > 0 && limits.statsIntervalMs > 0) {
    limits.statsIntervalMs = Math.min(limits.statsIntervalMs, Math.max(500, Math.floor(limits.cpuLimitWindowMs / 4)));
  }
  return limits;
}
