// Composition root: startDaemon(options) wires config, token, Claude detection and the server, then listens.
import { hostname, platform } from "node:os";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { detectClaude, type ClaudeDetection } from "../claude/detect.js";
import { openConfigStore, type ResolvedConfig } from "../config/index.js";
import { PROTOCOL_VERSION, type HealthResponse, type InfoResponse } from "../protocol/index.js";
import { createAuthenticator, createServer } from "../server/index.js";
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
    sessions: { active: 0, max: config.maxSessions },
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
    capabilities: ["ws", "health", "info"],
    tls: { enabled: false, fingerprint: null },
    bonjour: { enabled: false, published: false, warning: null },
    claude: {
      available: claude.available,
      version: claude.version ?? null,
      path: claude.path ?? null,
      ...(claude.error ? { error: claude.error } : {}),
    },
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
        if (writeState) removeStateFile(config.configDir, process.pid);
        logger.info("stopped");
      })();
      return closing;
    },
  };
}
