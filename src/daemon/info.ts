// What /health, /api/info and /api/claude/test report about the running daemon.
import { hostname, platform } from "node:os";
import { toolRulesFor, type ClaudeDetection } from "../claude/index.js";
import type { ResolvedConfig } from "../config/index.js";
import { CompanionError, PROTOCOL_VERSION, type HealthResponse, type InfoResponse } from "../protocol/index.js";
import type { SessionManager } from "../sessions/index.js";
import { VERSION } from "../version.js";
import { listenAddresses } from "./addresses.js";
import type { DaemonTls } from "./tls.js";
import type { SessionToolPolicy } from "./tool-policy.js";

export interface InfoSources {
  config: ResolvedConfig;
  serverId: string;
  startedAt: number;
  /** The Claude check's result, or null while `claude --version` still runs. */
  claude(): ClaudeDetection | null;
  sessions: SessionManager;
  port(): number;
  tls(): DaemonTls | null;
  bonjour(): { enabled: boolean; published: boolean; warning: string | null };
  /** Why persistence fails, or null: /health then says "degraded". */
  degraded(): string | null;
  tailscale(): { state: InfoResponse["tailscale"]["state"]; ipv4: string | null; dnsName: string | null; httpsEnabled: boolean; url: string | null; warning: string | null };
  toolPolicy: SessionToolPolicy;
  /** The sessions directory against SESSIONS_MAX_MB. */
  disk(): InfoResponse["disk"];
}

export function createInfo(src: InfoSources): { health(): HealthResponse; info(): InfoResponse } {
  return {
    health: () => ({
      status: src.degraded() ? "degraded" : "ok",
      version: VERSION,
      uptime: Math.round((Date.now() - src.startedAt) / 1000),
      claude: (({ available, version, checking }) => ({ available, version, checking }))(claudeStatusOf(src.claude())),
      sessions: src.sessions.counts(),
    }),
    info: () => ({
      name: "claude-companion",
      version: VERSION,
      protocolVersion: PROTOCOL_VERSION,
      serverId: src.serverId,
      hostname: hostname(),
      platform: platform(),
      addresses: listenAddresses(src.config.host),
      port: src.port(),
      capabilities: ["ws", "rest", "sessions", "permissions", "ask", "replay", "interrupt", "images", "pairing"],
      tls: { enabled: Boolean(src.tls()), fingerprint: src.tls()?.fingerprint ?? null },
      bonjour: src.bonjour(),
      tailscale: (({ state, ipv4, dnsName, httpsEnabled, url, warning }) => ({ state, address: ipv4, dnsName, httpsEnabled, url, warning }))(src.tailscale()),
      claude: claudeStatusOf(src.claude()),
      disk: src.disk(),
      toolRules: { workingDirectory: src.config.cwd, ...toolRulesFor({ ...src.toolPolicy, cwd: src.config.cwd }) },
    }),
  };
}

/** GET /api/claude/status and the `claude` part of /api/info and /health; null: the check still runs. */
export function claudeStatusOf(claude: ClaudeDetection | null): InfoResponse["claude"] {
  if (!claude) return { available: false, version: null, path: null, checking: true };
  return {
    available: claude.available,
    version: claude.version ?? null,
    path: claude.path ?? null,
    checking: false,
    ...(claude.error ? { error: claude.error } : {}),
  };
}

/** POST /api/claude/test: a minimal prompt through the CLI, timed. */
export async function testClaude(sessions: SessionManager, claude: ClaudeDetection, cwd: string) {
  const started = Date.now();
  if (!claude.available) return { ok: false, latencyMs: 0, version: null, error: claude.error ?? new CompanionError("CLAUDE_UNAVAILABLE", { path: claude.path }).message };
  try {
    const r = await sessions.ask({ prompt: "Reply with the single word: ok", workingDirectory: cwd }, { timeoutMs: 60_000 });
    return { ok: !r.isError, latencyMs: Date.now() - started, version: claude.version, ...(r.isError ? { error: r.result } : {}) };
  } catch (e) {
    return { ok: false, latencyMs: Date.now() - started, version: claude.version, error: (e as Error).message };
  }
}
