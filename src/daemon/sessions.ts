// The sessions room as the daemon runs it: the store under <config dir>/sessions and the manager, configured from the resolved config.
import { join } from "node:path";
import type { Logger } from "pino";
import { createClaudeProcess } from "../claude/index.js";
import type { ResolvedConfig } from "../config/index.js";
import { createSessionManager, createSessionStore, type EventLogLimits, type SessionManager, type SessionStore } from "../sessions/index.js";
import { sessionToolPolicy, type SessionToolPolicy } from "./tool-policy.js";

export interface DaemonSessionsOptions {
  config: ResolvedConfig;
  logger: Logger;
  /** The Claude check: the warm pool fills once it says the CLI is there (spares could only fail without it). */
  claudeAvailable: Promise<boolean>;
  /** Environment for Claude children. */
  childEnv: Record<string, string | undefined>;
  eventLogLimits?: EventLogLimits;
  /** Whether Claude Code has a transcript for an id (asked only once a resume arrives). */
  transcriptExists: (sessionId: string) => Promise<boolean>;
}

export interface DaemonSessions {
  sessions: SessionManager;
  store: SessionStore;
  toolPolicy: SessionToolPolicy;
}

export function createDaemonSessions(options: DaemonSessionsOptions): DaemonSessions {
  const { config, logger, childEnv } = options;
  const sessionsDir = join(config.configDir, "sessions");
  const toolPolicy = sessionToolPolicy(config, sessionsDir, childEnv);
  const store = createSessionStore({
    dir: sessionsDir,
    logger,
    retentionMs: config.sessionRetentionDays * 24 * 3600 * 1000,
    maxBytes: config.sessionsMaxMb * 1024 * 1024,
  });
  const sessions = createSessionManager({
    store,
    startClaude: (spawn) => createClaudeProcess(spawn, { logger }),
    logger,
    defaults: {
      cliPath: config.claudeCliPath,
      cwd: config.cwd,
      permissionMode: config.permissionMode,
      ...toolPolicy,
      skipPermissions: config.skipPermissions,
      includePartialMessages: true,
      env: childEnv,
      maxRetries: config.claudeMaxRetries,
    },
    allowedRoots: config.allowedRoots,
    transcriptExists: options.transcriptExists,
    maxSessions: config.maxSessions,
    sessionTimeoutMs: config.sessionTimeoutMs,
    claudeTimeoutMs: config.claudeTimeoutMs,
    permissionTimeoutMs: config.permissionTimeoutMs,
    // No spares when the CLI is missing: they could only fail.
    warmPool: config.warmPool,
    warmPoolAfter: options.claudeAvailable,
    memoryLimitMb: config.memoryLimitMb,
    cpuLimitPercent: config.cpuLimitPercent,
    cpuLimitWindowMs: config.cpuLimitWindowMs,
    cpuLimitAction: config.cpuLimitAction,
    ...(options.eventLogLimits ? { eventLogLimits: options.eventLogLimits } : {}),
  });
  return { sessions, store, toolPolicy };
}
