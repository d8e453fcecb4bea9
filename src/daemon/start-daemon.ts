// Composition root: startDaemon(options) wires config, token, Claude detection and the server, then listens.
import { hostname, platform } from "node:os";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createClaudeProcess, detectClaude, type ClaudeDetection } from "../claude/index.js";
import { openConfigStore, type ResolvedConfig } from "../config/index.js";
import { PROTOCOL_VERSION, type HealthResponse, type InfoResponse } from "../protocol/index.js";
import { createAuthenticator, createServer, type ServerLimits } from "../server/index.js";
import { createSessionManager, type EventLogLimits, type SessionManager } from "../sessions/index.js";
import { processEnv } from "../config/index.js";
import { VERSION } from "../version.js";
import { baseUrl, lanAddresses, loopbackFor } from "./addresses.js";
import { removeStateFile, writeStateFile } from "./state-file.js";

export interface StartDaemonOptions {
  config: ResolvedConfig;
  logger: Logger;
  /** A detection already made (the CLI shows a spinner while it runs); detected here when absent. */
  claude?: ClaudeDetection;
  /** Write the state file (default true). */
  writeState?: boolean;
  /** Environment for Claude children (default: this process's). */
  childEnv?: Record<string, string | undefined>;
  limits?: Partial<ServerLimits>;
  /** In-memory event log retention per session (default 10 000 events / 16 MiB). */
  eventLogLimits?: EventLogLimits;
}

export interface Daemon {
  /** Loopback URL of the daemon (what the CLI on this machine uses). */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** One URL per non-internal IPv4 address, for the banner. */
  readonly lanUrls: string[];
  readonly claude: ClaudeDetection;
  /** The master token (never logged). */
  masterToken(): string;
  rotateMasterToken(): string;
  /** Stops in reverse order: WS clients (1001), HTTP, state file. Idempotent. */
  close(): Promise<void>;
}

/** POST /api/claude/test: a minimal prompt through the CLI, timed. */
async function testClaude(sessions: SessionManager, claude: ClaudeDetection, cwd: string) {
  const started = Date.now();
  if (!claude.available) return { ok: false, latencyMs: 0, version: null, error: claude.error ?? "Claude Code CLI not found" };
  try {
    const r = await sessions.ask({ prompt: "Reply with the single word: ok", workingDirectory: cwd }, { timeoutMs: 60_000 });
    return { ok: !r.isError, latencyMs: Date.now() - started, version: claude.version, ...(r.isError ? { error: r.result } : {}) };
  } catch (e) {
    return { ok: false, latencyMs: Date.now() - started, version: claude.version, error: (e as Error).message };
  }
}

export async function startDaemon(options: StartDaemonOptions): Promise<Daemon> {
  const { config } = options;
  const logger = options.logger.child({ room: "daemon" });
  const store = openConfigStore(config.configDir);
  let token = config.authToken || store.ensureToken();
  const serverId = store.ensureServerId();
  const claude = options.claude ?? (await detectClaude(config.claudeCliPath, { timeoutMs: 5000 }));
  const startedAt = Date.now();

  const health = (): HealthResponse => ({
    status: "ok",
    version: VERSION,
    uptime: Math.round((Date.now() - startedAt) / 1000),
    claude: { available: claude.available, version: claude.version ?? null },
    sessions: sessions.counts(),
  });

  let port = config.port;
  const info = (): InfoResponse => ({
    name: "claude-companion",
    version: VERSION,
    protocolVersion: PROTOCOL_VERSION,
    serverId,
    hostname: hostname(),
    platform: platform(),
    addresses: lanAddresses(),
    port,
    capabilities: ["ws", "rest", "sessions", "permissions", "ask", "replay", "interrupt", "images"],
    tls: { enabled: false, fingerprint: null },
    bonjour: { enabled: false, published: false, warning: null },
    claude: {
      available: claude.available,
      version: claude.version ?? null,
      path: claude.path ?? null,
      ...(claude.error ? { error: claude.error } : {}),
    },
  });

  const sessions = createSessionManager({
    startClaude: (spawn) => createClaudeProcess(spawn, { logger: options.logger }),
    logger: options.logger,
    defaults: {
      cliPath: config.claudeCliPath,
      cwd: config.cwd,
      permissionMode: config.permissionMode,
      allowedTools: [...config.allowedTools],
      skipPermissions: config.skipPermissions,
      includePartialMessages: true,
      env: options.childEnv ?? processEnv(),
      maxRetries: config.claudeMaxRetries,
    },
    maxSessions: config.maxSessions,
    sessionTimeoutMs: config.sessionTimeoutMs,
    claudeTimeoutMs: config.claudeTimeoutMs,
    permissionTimeoutMs: config.permissionTimeoutMs,
    // No spares when the CLI is missing: they could only fail.
    warmPool: claude.available ? config.warmPool : 0,
    memoryLimitMb: config.memoryLimitMb,
    ...(options.eventLogLimits ? { eventLogLimits: options.eventLogLimits } : {}),
  });

  const rotateMasterToken = () => {
    token = store.rotateToken();
    logger.info("master token rotated");
    return token;
  };
  const server = createServer({
    logger: options.logger,
    rotateMasterToken,
    version: VERSION,
    auth: createAuthenticator({ masterToken: () => token }),
    health,
    info,
    sessions,
    origin: {
      allowedHosts: config.allowedHosts,
      allowedOrigins: config.allowedOrigins,
      hostname: hostname(),
      port: () => port,
      addresses: () => ["127.0.0.1", "::1", ...lanAddresses()],
    },
    allowedRoots: config.allowedRoots,
    defaultCwd: config.cwd,
    claudeStatus: async () => ({
      available: claude.available,
      version: claude.version ?? null,
      path: claude.path ?? null,
      ...(claude.error ? { error: claude.error } : {}),
    }),
    claudeTest: () => testClaude(sessions, claude, config.cwd),
    ...(options.limits ? { limits: options.limits } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.server.listen(config.port, config.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  port = (server.server.address() as AddressInfo).port;
  const url = baseUrl("http", loopbackFor(config.host), port);
  const lanUrls =
    config.host === "0.0.0.0" || config.host === "::"
      ? lanAddresses().map((a) => baseUrl("http", a, port))
      : [baseUrl("http", config.host, port)];

  const writeState = options.writeState ?? true;
  if (writeState) {
    writeStateFile(config.configDir, {
      pid: process.pid,
      port,
      host: config.host,
      url,
      version: VERSION,
      startedAt,
      tls: false,
      fingerprint: null,
      logPath: null,
    });
  }
  logger.info({ url, host: config.host, port }, "listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host: config.host,
    lanUrls,
    claude,
    masterToken: () => token,
    rotateMasterToken,
    close() {
      closing ??= (async () => {
        logger.info("shutting down");
        await server.close();
        await sessions.close();
        if (writeState) removeStateFile(config.configDir, process.pid);
        logger.info("stopped");
      })();
      return closing;
    },
  };
}
