// The table of every setting: its flag, environment variable, default and parser. Drives resolution and the README table.
import { isIP } from "node:net";
import type { PermissionMode } from "../protocol/common.js";
import { PERMISSION_MODES } from "../protocol/constants.js";
import { CompanionError } from "../protocol/errors.js";

/** The one error of a value that is not allowed: CONFIG_INVALID naming the source, the value and what is allowed. */
export function configInvalid(source: string, value: string, allowed: string, secret = false): CompanionError {
  // A rejected secret (AUTH_TOKEN) may still be the user's real token: say its length, never its text.
  const shown = secret ? `(hidden, ${value.length} characters)` : JSON.stringify(value);
  return new CompanionError("CONFIG_INVALID", { source, value: shown, allowed });
}

type Parse<T> = (raw: string) => T | undefined;

const int =
  (min: number, max: number): Parse<number> =>
  (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) return undefined;
    const n = Number(raw);
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
  };

const bool: Parse<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(v)) return true;
  if (["false", "0", "no", "off"].includes(v)) return false;
  return undefined;
};

const oneOf =
  <T extends string>(values: readonly T[]): Parse<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? (raw as T) : undefined;

const list: Parse<string[]> = (raw) =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const host: Parse<string> = (raw) => (isIP(raw) || HOSTNAME.test(raw) ? raw : undefined);
const nonEmpty: Parse<string> = (raw) => (raw.trim() ? raw.trim() : undefined);
const token: Parse<string> = (raw) => (/^[A-Za-z0-9._~+/=-]{16,512}$/.test(raw) ? raw : undefined);
const toolList: Parse<string[]> = (raw) => {
  const tools = list(raw);
  // A tool name or a Claude Code rule (paths allowed, e.g. Edit(//home/me/app/**)); never a leading "-" (it would read as a flag).
  return tools && tools.every((t) => /^[A-Za-z][A-Za-z0-9_*-]*(\([^()\0\r\n]*\))?$/.test(t)) ? tools : undefined;
};
const origins: Parse<string[]> = (raw) => {
  const items = list(raw);
  return items && items.every((o) => /^https?:\/\/[^/\s]+$/.test(o)) ? items : undefined;
};
const hostList: Parse<string[]> = (raw) => {
  const items = list(raw);
  return items && items.every((h) => host(h) !== undefined) ? items : undefined;
};

/** An IPv4 or IPv6 address or CIDR block ("10.0.0.5", "10.0.0.0/8", "fd00::/8"). */
function isCidr(raw: string): boolean {
  const [addr, bits, extra] = raw.split("/");
  if (extra !== undefined || !addr) return false;
  const family = isIP(addr);
  if (!family) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
const cidrList: Parse<string[]> = (raw) => {
  const items = list(raw);
  return items && items.length && items.every(isCidr) ? items : undefined;
};
const publicUrl: Parse<string> = (raw) => {
  const v = raw.trim();
  try {
    const u = new URL(v);
    const ok = (u.protocol === "https:" || u.protocol === "http:") && host(u.hostname.replace(/^\[|\]$/g, "")) !== undefined && !u.username && !u.password;
    return ok && (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash ? u.origin : undefined;
  } catch {
    return undefined;
  }
};

export interface SettingSpec<T> {
  /** Environment variable, if any. */
  env?: string;
  /** commander flag, if any (documentation only; the CLI declares it). */
  flag?: string;
  default: T;
  /** What is allowed, shown in errors and the README. */
  allowed: string;
  description: string;
  parse: Parse<T>;
  /** May the conf store hold it? Secrets and per-run values may not. */
  storable?: boolean;
  /** A secret: a rejected value is never repeated in the error. */
  secret?: boolean;
}

const s = <T>(spec: SettingSpec<T>) => spec;

export const SETTINGS = {
  port: s({ env: "PORT", flag: "--port <n>", default: 3001, allowed: "an integer from 0 to 65535", description: "Port for HTTP and WebSocket (0 picks a free one).", parse: int(0, 65535), storable: true }),
  host: s({ env: "HOST", flag: "--host <addr>", default: "0.0.0.0", allowed: "an IP address or a host name", description: "Address to listen on. 127.0.0.1 keeps it to this computer.", parse: host, storable: true }),
  cwd: s({ flag: "--cwd <dir>", default: "", allowed: "an existing directory", description: "Default working directory for new sessions (default: where `start` runs).", parse: nonEmpty }),
  nodeEnv: s({ env: "NODE_ENV", default: "production", allowed: "any word", description: "Node environment name, reported in /api/info.", parse: nonEmpty }),
  authToken: s({ env: "AUTH_TOKEN", default: "", allowed: "16 to 512 URL-safe characters", description: "Use this master token instead of the generated one.", parse: token, secret: true }),
  claudeCliPath: s({ env: "CLAUDE_CLI_PATH", default: "claude", allowed: "a command name or path", description: "The Claude Code CLI to run.", parse: nonEmpty, storable: true }),
  claudeTimeoutMs: s({ env: "CLAUDE_TIMEOUT", default: 300_000, allowed: "milliseconds from 1000 to 86400000", description: "Silence from Claude during a turn before it is interrupted.", parse: int(1000, 86_400_000), storable: true }),
  permissionMode: s<PermissionMode>({ env: "CLAUDE_PERMISSION_MODE", default: "default", allowed: PERMISSION_MODES.join(" | "), description: "Permission mode for new sessions.", parse: oneOf(PERMISSION_MODES), storable: true }),
  allowedTools: s<string[]>({ env: "CLAUDE_ALLOWED_TOOLS", default: ["Read", "Write", "Edit"], allowed: "a comma-separated list of tool names or rules", description: "Tools Claude may use without asking (--allowedTools). The default means inside the session's directory only; a bare name you give allows that tool everywhere (start warns).", parse: toolList, storable: true }),
  skipPermissions: s({ env: "CLAUDE_SKIP_PERMISSIONS", default: false, allowed: "true or false", description: "Run Claude with --dangerously-skip-permissions (no prompts at all).", parse: bool, storable: true }),
  claudeMaxRetries: s({ env: "CLAUDE_MAX_RETRIES", default: 2, allowed: "an integer from 0 to 10", description: "API retries the CLI makes before reporting an error (CLAUDE_CODE_MAX_RETRIES).", parse: int(0, 10), storable: true }),
  enableBonjour: s({ env: "ENABLE_BONJOUR", flag: "--no-bonjour", default: true, allowed: "true or false", description: "Advertise the daemon on the LAN with Bonjour/mDNS.", parse: bool, storable: true }),
  maxSessions: s({ env: "MAX_SESSIONS", default: 5, allowed: "an integer from 1 to 100", description: "Concurrent sessions (each runs one Claude process).", parse: int(1, 100), storable: true }),
  sessionTimeoutMs: s({ env: "SESSION_TIMEOUT", default: 1_800_000, allowed: "milliseconds from 0 (never) to 604800000", description: "Idle time after which a session is closed and its process stopped (resume it to go on).", parse: int(0, 604_800_000), storable: true }),
  permissionTimeoutMs: s({ env: "PERMISSION_TIMEOUT", default: 600_000, allowed: "milliseconds from 1000 to 86400000", description: "Unanswered permission requests are denied after this.", parse: int(1000, 86_400_000), storable: true }),
  warmPool: s({ env: "WARM_POOL", default: 1, allowed: "an integer from 0 to 5", description: "Pre-started Claude processes for the default directory (0 disables).", parse: int(0, 5), storable: true }),
  memoryLimitMb: s({ env: "SESSION_MEMORY_LIMIT_MB", default: 2048, allowed: "an integer from 128 to 65536", description: "RSS limit of a session's processes together (its Claude and all it started).", parse: int(128, 65_536), storable: true }),
  cpuLimitPercent: s({ env: "CPU_LIMIT_PERCENT", default: 0, allowed: "an integer from 0 (off) to 12800", description: "CPU % of a session's processes together that is a runaway (100 = one core).", parse: int(0, 12_800), storable: true }),
  cpuLimitWindowMs: s({ env: "CPU_LIMIT_WINDOW", default: 600_000, allowed: "milliseconds from 1000 to 86400000", description: "How long a session's processes must stay over CPU_LIMIT_PERCENT before CPU_LIMIT_ACTION.", parse: int(1000, 86_400_000), storable: true }),
  cpuLimitAction: s<"warn" | "stop">({ env: "CPU_LIMIT_ACTION", default: "warn", allowed: "warn | stop", description: "warn: a warning event and a notification (kind `warning`); stop: the turn is interrupted and the busiest processes stopped (RESOURCE_LIMIT).", parse: oneOf(["warn", "stop"] as const), storable: true }),
  sessionsMaxMb: s({ env: "SESSIONS_MAX_MB", default: 1024, allowed: "an integer from 1 to 1048576", description: "Disk budget of the sessions directory; the oldest closed sessions are pruned first, never an open one.", parse: int(1, 1_048_576), storable: true }),
  allowedRoots: s<string[]>({ env: "ALLOWED_ROOTS", flag: "--root <dir>", default: [], allowed: "a comma-separated list of directories", description: "Directories sessions may work in (default: your home directory).", parse: list, storable: true }),
  allowedOrigins: s<string[]>({ env: "ALLOWED_ORIGINS", default: [], allowed: "a comma-separated list of http(s)://host[:port] origins", description: "Extra browser origins allowed for CORS and WebSocket.", parse: origins, storable: true }),
  allowedHosts: s<string[]>({ env: "ALLOWED_HOSTS", default: [], allowed: "a comma-separated list of host names", description: "Extra Host header names accepted (DNS-rebinding guard).", parse: hostList, storable: true }),
  tls: s({ env: "TLS", flag: "--tls", default: false, allowed: "true or false", description: "Serve HTTPS and WSS with a self-signed certificate (pinned by its fingerprint in the QR).", parse: bool, storable: true }),
  tlsCert: s({ env: "TLS_CERT", flag: "--tls-cert <file>", default: "", allowed: "a PEM certificate file", description: "Use your own certificate (e.g. a Tailscale one) instead of a self-signed one; implies TLS.", parse: nonEmpty, storable: true }),
  tlsKey: s({ env: "TLS_KEY", flag: "--tls-key <file>", default: "", allowed: "a PEM private key file", description: "The private key of --tls-cert.", parse: nonEmpty, storable: true }),
  tailscale: s({ env: "TAILSCALE", flag: "--tailscale", default: false, allowed: "true or false", description: "Serve HTTPS on this machine's Tailscale MagicDNS name with a certificate from `tailscale cert`; the QR carries the tailnet URL.", parse: bool, storable: true }),
  trustProxy: s<string[]>({ env: "TRUST_PROXY", flag: "--trust-proxy <cidr>", default: [], allowed: "a comma-separated list of IP addresses or CIDR blocks", description: "Reverse proxies whose X-Forwarded-For names the client (rate limits, device address). Without it the header is ignored.", parse: cidrList, storable: true }),
  publicUrl: s({ env: "PUBLIC_URL", flag: "--public-url <url>", default: "", allowed: "an http(s)://host[:port] origin, no path", description: "The address a reverse proxy serves this daemon on: its name is accepted by the Host and Origin checks, `pair --via public` puts it in the QR.", parse: publicUrl, storable: true }),
  claudeConfigDir: s({ env: "CLAUDE_CONFIG_DIR", default: "", allowed: "a directory path", description: "Claude Code's config directory, whose projects/ transcripts the history lists (default ~/.claude; the CLI reads the same variable).", parse: nonEmpty }),
  sessionRetentionDays: s({ env: "SESSION_RETENTION_DAYS", default: 7, allowed: "an integer from 1 to 3650", description: "Closed sessions are kept on disk this many days.", parse: int(1, 3650), storable: true }),
  pairingTtlMs: s({ env: "PAIRING_TTL", default: 600_000, allowed: "milliseconds from 10000 to 86400000", description: "How long a pairing QR code can be used.", parse: int(10_000, 86_400_000), storable: true }),
  logFormat: s<"pretty" | "json">({ env: "LOG_FORMAT", flag: "--log-format <format>", default: "pretty", allowed: "pretty | json", description: "Log format on stderr.", parse: oneOf(["pretty", "json"] as const) }),
  logLevel: s({ env: "LOG_LEVEL", default: "info", allowed: "trace | debug | info | warn | error | silent", description: "Log level.", parse: oneOf(["trace", "debug", "info", "warn", "error", "silent"] as const) }),
} satisfies Record<string, SettingSpec<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: (typeof SETTINGS)[K]["default"] };
