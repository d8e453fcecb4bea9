// Composition root: startDaemon(options) wires config, tokens, pairing, TLS, sessions, the server and discovery.
import { hostname } from "node:os";
import { basename } from "node:path";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { detectClaude, type ClaudeDetection } from "../claude/index.js";
import { processEnv, resolveMasterToken, type ResolvedConfig } from "../config/index.js";
import { openConfigStore } from "../config/store.js";
import { createAuthenticator, createServer, createStaticHandler, defaultWebRoot, type ServerLimits } from "../server/index.js";
import { CompanionError } from "../protocol/index.js";
import { createNotifyService } from "../notify/index.js";
import { createHistory } from "../history/index.js";
import { createChanges } from "../changes/index.js";
import { listDirectories, resolveAllowedPath, searchFiles, type EventLogLimits } from "../sessions/index.js";
import { VERSION } from "../version.js";
import { baseUrl, lanAddresses, listenAddresses, loopbackFor } from "./addresses.js";
import { claudeStatusOf, createInfo, testClaude } from "./info.js";
import { createPairingService, pairingAddresses, type PairingService } from "./pairing.js";
import { processStartTime, removeStateFile, writeStateFile } from "./state-file.js";
import { createTailscaleRunner, detectTailscale, tailscaleCommand, type TailscaleStatus } from "../tailscale/index.js";
import { fingerprintOf } from "../tls/fingerprint.js";
import { resolveTailnet, scheduleTailnetRenewal, type DaemonTailnet } from "./tailnet.js";
import type { EarlyListener } from "./early-listener.js";
import { createDaemonTempDir } from "./temp-dir.js";
import { loadTls, type DaemonTls } from "./tls.js";
import type { InfoResponse } from "../protocol/index.js";
import { advertiseDaemon, type BonjourState, type DaemonBonjour } from "./bonjour.js";
import { createDaemonSessions } from "./sessions.js";

export interface StartDaemonOptions {
  config: ResolvedConfig;
  logger: Logger;
  /**
   * A detection already made, or one still running (`start` runs `claude --version` after it listens: /health
   * says `checking` until it answers); detected here, before listening, when absent.
   */
  claude?: ClaudeDetection | Promise<ClaudeDetection>;
  /** A socket `start` bound before the daemon loaded (plain HTTP only): served on instead of listening here. */
  listener?: EarlyListener;
  /** Write the state file (default true). */
  writeState?: boolean;
  /** Environment for Claude children (default: this process's). */
  childEnv?: Record<string, string | undefined>;
  limits?: Partial<ServerLimits>;
  /** In-memory event log retention per session (default 10 000 events / 16 MiB). */
  eventLogLimits?: EventLogLimits;
  /** Where the logs go in background mode (recorded in the state file for `status` and `logs`). */
  logPath?: string;
  /** The built phone client (default: dist/web). */
  webRoot?: string;
  /** Notifications: the fetch used for ntfy, webhooks and Web Push, and the waits between retries (tests). */
  notify?: { fetch?: typeof fetch; retryDelaysMs?: readonly number[] };
  /** A Tailscale detection already made (the CLI runs it beside the Claude check); detected here when absent. */
  tailscale?: Promise<TailscaleStatus> | TailscaleStatus;
}

export interface Daemon {
  /** Loopback URL of the daemon (what the CLI on this machine uses). */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The addresses it listens on (every non-internal IPv4 address for a wildcard host), as /api/info reports them. */
  readonly addresses: string[];
  readonly protocol: "http" | "https";
  /** The Claude check's result; null while it still runs. */
  readonly claude: ClaudeDetection | null;
  readonly tls: DaemonTls | null;
  /** Tailscale as detected at start, the URL a phone on the tailnet opens, and why --tailscale fell back. */
  readonly tailnet: DaemonTailnet & { url: string | null };
  readonly pairing: PairingService;
  /** What GET /api/info reports (the banner reads its `tailscale` part). */
  info(): InfoResponse;
  /** Bonjour state for the banner and /api/info. */
  bonjour(): { enabled: boolean; published: boolean; warning: string | null };
  /** The master token (never logged). */
  masterToken(): string;
  rotateMasterToken(): string;
  /** Resolves when every queued notification delivery has finished (or given up). */
  notifyIdle(): Promise<void>;
  /**
   * Stops in reverse order: discovery; sessions (clients are told, turns interrupted, processes stopped, all
   * flushed to disk, sessions kept for the next start); WS clients (1001); HTTP; state file. Idempotent.
   */
  close(): Promise<void>;
}

export async function startDaemon(options: StartDaemonOptions): Promise<Daemon> {
  const { config } = options;
  const logger = options.logger.child({ room: "daemon" });
  const store = openConfigStore(config.configDir);
  let master = resolveMasterToken(config, store);
  const serverId = store.ensureServerId();
  let claude: ClaudeDetection | null = null;
  const claudeCheck = Promise.resolve(options.claude ?? (await detectClaude(config.claudeCliPath, { timeoutMs: 5000 }))).then((c) => (claude = c));
  if (options.claude && !("then" in options.claude)) claude = options.claude;
  // Temporary files the daemon writes live here (the tailnet certificate below too); whatever a crash left is removed now and at close.
  const tempDir = createDaemonTempDir(config.configDir);
  const tailscaleRun = createTailscaleRunner(tailscaleCommand());
  const tailnet = await resolveTailnet({ config, logger: options.logger, run: tailscaleRun, status: await (options.tailscale ?? detectTailscale(tailscaleRun)) });
  const tls: DaemonTls | null = tailnet.cert
    ? { cert: tailnet.cert.cert, key: tailnet.cert.key, fingerprint: fingerprintOf(tailnet.cert.cert), selfSigned: false }
    : config.tls
      ? await loadTls(config, options.logger)
      : null;
  const protocol = tls ? "https" : "http";
  // The tailnet host a phone uses: the MagicDNS name when its certificate is served, else the 100.x address.
  const tailnetHost = tailnet.cert ? tailnet.status.dnsName : tailnet.status.ipv4;
  let port = config.port;
  let lanHost = "127.0.0.1";
  let bonjour: DaemonBonjour | undefined;

  const childEnv = options.childEnv ?? processEnv();
  const { sessions, store: sessionStore, toolPolicy } = createDaemonSessions({
    config,
    logger: options.logger,
    claudeAvailable: claudeCheck.then((c) => c.available),
    childEnv,
    ...(options.eventLogLimits ? { eventLogLimits: options.eventLogLimits } : {}),
    // history is created just below (it needs the manager); called only once a resume arrives.
    transcriptExists: async (id) => (await history.find(id)) !== undefined,
  });

  // The transcripts the daemon's own Claude children write are in the same place as the terminal's.
  const history = createHistory({
    claudeConfigDir: options.childEnv?.CLAUDE_CONFIG_DIR ?? config.claudeConfigDir,
    allowedRoots: config.allowedRoots,
    defaultCwd: config.cwd,
    logger: options.logger,
    companion: {
      has: (id) => sessions.list().some((s) => s.id === id),
      pids: () => new Set(sessions.list().flatMap((s) => (s.state === "closed" ? [] : [s.info().process?.pid ?? -1]))),
    },
  });

  const pairing = createPairingService({
    store,
    logger: options.logger,
    ttlMs: config.pairingTtlMs,
    ...pairingAddresses({ config, protocol, tailnet, tailnetHost, tls, port: () => port, lanHost: () => lanHost }),
  });

  const rotateMasterToken = () => {
    if (master.fromEnv) throw new CompanionError("TOKEN_FROM_ENV");
    master = { token: store.rotateToken(), fromEnv: false };
    // Rotation cuts what the old token opened: its sockets (4401) and the pairing codes issued with it.
    pairing.dropCodes();
    const closed = server.ws.closeWhere((c) => c.principal.kind === "master", new CompanionError("UNAUTHORIZED"));
    logger.info({ closedSockets: closed }, "master token rotated");
    return master.token;
  };
  const startedAt = Date.now();
  // Until the daemon listens (and knows its port) nothing is advertised.
  const bonjourState = (): BonjourState => bonjour?.state() ?? { enabled: config.enableBonjour, published: false, warning: null };
  const { health, info } = createInfo({
    config,
    serverId,
    startedAt,
    claude: () => claude,
    sessions,
    port: () => port,
    tls: () => tls,
    bonjour: () => bonjourState(),
    degraded: () => sessionStore.degraded,
    disk: () => sessionStore.usage(),
    tailscale: () => ({ ...tailnet.status, url: tailnetUrl(), warning: tailnet.warning }),
    toolPolicy,
  });
  const tailnetUrl = () => (tailnetHost ? baseUrl(protocol, tailnetHost, port) : null);

  const notify = createNotifyService({
    configDir: config.configDir,
    logger: options.logger,
    onEvent: (listener) => sessions.onEvent((record) => listener(record.event)),
    sessionTitle: (id) => {
      try {
        return basename(sessions.get(id).workingDirectory) || "Claude";
      } catch {
        return "Claude";
      }
    },
    answer: (sessionId, permissionId, decision, client) => sessions.answerPermission(sessionId, permissionId, { decision }, client),
    // Links in notifications: the proxy's name, else the tailnet's HTTPS name (both work off the LAN), else the LAN.
    publicUrl: () => config.publicUrl || (tailnet.cert ? tailnetUrl() : null) || baseUrl(protocol, lanHost, port),
    ...options.notify,
  });

  const server = createServer({
    logger: options.logger,
    version: VERSION,
    rotateMasterToken,
    auth: createAuthenticator({ masterToken: () => master.token, verifyDevice: (t, address) => pairing.verifyDevice(t, address) }),
    health: () => ({ ...health(), notify: notify.health() }),
    info,
    sessions,
    notify,
    history,
    directories: { listDirectories: (path) => listDirectories(config.allowedRoots, path) },
    files: { searchFiles: (query) => searchFiles(config.allowedRoots, query) },
    // The file viewer reads inside the roots and the default directory (always a session's directory too).
    // The paths every session's tools are denied are never shown either (the master token lives in the config directory).
    changes: createChanges({ resolvePath: (p) => resolveAllowedPath(p, [...config.allowedRoots, config.cwd], "/"), protectedPaths: toolPolicy.protectedPaths }),
    origin: {
      // The MagicDNS name and the proxy's public name are ours without configuration.
      allowedHosts: [...config.allowedHosts, ...(tailnet.status.dnsName ? [tailnet.status.dnsName] : []), ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : [])],
      allowedOrigins: [...config.allowedOrigins, ...(config.publicUrl ? [config.publicUrl] : [])],
      hostname: hostname(),
      port: () => port,
      addresses: () => ["127.0.0.1", "::1", ...lanAddresses()],
    },
    claudeStatus: async () => claudeStatusOf(await claudeCheck),
    claudeTest: async () => testClaude(sessions, await claudeCheck, config.cwd),
    pairing: {
      pair: (t, name) => pairing.pair(t, name),
      issuePairingCode: (via) => pairing.issue(via),
      listDevices: () => pairing.devices.list(),
      revokeDevice: (id) => pairing.devices.revoke(id),
      revokeAllDevices: () => pairing.devices.revokeAll(),
    },
    // The phone client: scanning the QR opens it from this same origin.
    staticHandler: createStaticHandler({ root: options.webRoot ?? defaultWebRoot() }),
    ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
    // `start` listened before loading the daemon: its requests are served from here on.
    ...(options.listener ? { server: options.listener.release() } : {}),
    trustProxy: config.trustProxy,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  // A revoked device loses its open sockets at once.
  pairing.devices.onRevoke((device) => {
    server.ws.closeWhere((c) => c.principal.kind === "device" && c.principal.id === device.id, new CompanionError("UNAUTHORIZED"));
    notify.forgetDevice(device.id);
  });

  if (options.listener) options.listener.replayHeld();
  else {
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.server.listen(config.port, config.host, () => {
        server.server.off("error", reject);
        resolve();
      });
    });
  }
  port = (server.server.address() as AddressInfo).port;
  const url = baseUrl(protocol, loopbackFor(config.host), port);
  const addresses = listenAddresses(config.host);
  lanHost = addresses[0] ?? "127.0.0.1";

  const stopRenewal = scheduleTailnetRenewal(tailnet, {
    config,
    logger: options.logger,
    run: tailscaleRun,
    apply: (cert) => {
      (server.server as unknown as import("node:tls").Server).setSecureContext({ cert: cert.cert, key: cert.key });
      if (!tls) return;
      Object.assign(tls, { cert: cert.cert, key: cert.key, fingerprint: fingerprintOf(cert.cert) });
      // The CLI on this machine pins the fingerprint in the state file.
      if (writeState) saveState();
    },
  });

  bonjour = advertiseDaemon({ config, logger: options.logger, port, serverId, tls });

  const writeState = options.writeState ?? true;
  const saveState = () =>
    writeStateFile(config.configDir, {
      pid: process.pid,
      port,
      host: config.host,
      url,
      version: VERSION,
      startedAt,
      tls: Boolean(tls),
      fingerprint: tls?.fingerprint ?? null,
      logPath: options.logPath ?? null,
      procStart: processStartTime(process.pid),
    });
  if (writeState) saveState();
  // With an early listener `start` said "listening" when it bound the socket; now everything answers.
  logger.info({ url, host: config.host, port, tls: Boolean(tls) }, options.listener ? "ready" : "listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host: config.host,
    addresses,
    protocol,
    get claude() {
      return claude;
    },
    tls,
    get tailnet() {
      return { ...tailnet, url: tailnetUrl() };
    },
    pairing,
    info,
    bonjour: () => bonjourState(),
    masterToken: () => master.token,
    rotateMasterToken,
    notifyIdle: () => notify.idle(),
    close() {
      closing ??= (async () => {
        logger.info("shutting down");
        stopRenewal();
        await bonjour?.close();
        // Sessions first, so connected clients still receive the shutdown update live.
        await sessions.suspendAll();
        notify.close();
        await server.close();
        history.close();
        pairing.devices.flush();
        tempDir.clean();
        if (writeState) removeStateFile(config.configDir, process.pid);
        logger.info("stopped");
      })();
      return closing;
    },
  };
}
