// REST response bodies served by the daemon (requests are in their own schemas beside them).
import { z } from "zod";
import { UsageSchema } from "./common.js";
import { NotifyHealthSchema } from "./notify.js";
import { SessionInfoSchema, SessionProcessSchema } from "./sessions.js";

/** GET /health (no auth). The seed's shape. */
export const HealthResponseSchema = z.object({
  /**
   * "ok"; "degraded" when something (e.g. persistence) is failing but the server serves on; "starting" in the
   * first moments after `start`, while the daemon loads behind a socket that answers only /health (every other
   * request waits until it has loaded; `sessions.active` is 0 until then).
   */
  status: z.enum(["ok", "degraded", "starting"]),
  version: z.string(),
  /** Seconds since start. */
  uptime: z.number(),
  /** `checking` is true while `claude --version` runs after start (available is false and version null until it answers). */
  claude: z.object({ available: z.boolean(), version: z.string().nullable(), checking: z.boolean() }),
  sessions: z.object({ active: z.number().int(), max: z.number().int() }),
  /** Notification channels that still fail after their retries. */
  notify: NotifyHealthSchema.optional(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

/** GET /api/info (auth). */
export const InfoResponseSchema = z.object({
  name: z.literal("claude-companion"),
  version: z.string(),
  protocolVersion: z.number().int(),
  serverId: z.string(),
  hostname: z.string(),
  platform: z.string(),
  addresses: z.array(z.string()),
  port: z.number().int(),
  capabilities: z.array(z.string()),
  tls: z.object({ enabled: z.boolean(), fingerprint: z.string().nullable() }),
  bonjour: z.object({ enabled: z.boolean(), published: z.boolean(), warning: z.string().nullable() }),
  /** This machine on Tailscale, as detected at start. */
  tailscale: z.object({
    /** running | logged-out | stopped | error | absent (not installed). */
    state: z.enum(["running", "logged-out", "stopped", "error", "absent"]),
    /** The tailnet IPv4 address (100.x.y.z), when running. */
    address: z.string().nullable(),
    /** The MagicDNS name (e.g. laptop.tail1234.ts.net), when running. */
    dnsName: z.string().nullable(),
    /** HTTPS certificates are enabled on the tailnet for this name. */
    httpsEnabled: z.boolean(),
    /** The URL a phone on the tailnet opens, or null. */
    url: z.string().nullable(),
    /** Why --tailscale could not serve HTTPS on the MagicDNS name (and what it does instead), or null. */
    warning: z.string().nullable(),
  }),
  /** As /health's `claude` (also GET /api/claude/status, which waits for the check instead). */
  claude: z.object({
    available: z.boolean(),
    version: z.string().nullable(),
    path: z.string().nullable(),
    checking: z.boolean(),
    error: z.string().optional(),
  }),
  /**
   * The Claude Code permission rules a session in the default directory runs with; a session elsewhere gets
   * the same with its own directory in place of `workingDirectory`.
   */
  /** The sessions directory against its budget (SESSIONS_MAX_MB). */
  disk: z.object({ usedBytes: z.number().int(), maxBytes: z.number().int(), sessions: z.number().int() }),
  toolRules: z.object({
    workingDirectory: z.string(),
    /** `--allowedTools`: used without asking. */
    allow: z.array(z.string()),
    /** `--disallowedTools`: always refused, whatever is allowed. */
    deny: z.array(z.string()),
  }),
});
export type InfoResponse = z.infer<typeof InfoResponseSchema>;

/** GET /api/sessions/:id/processes: the session's processes now, its Claude excluded. */
export const SessionProcessesResponseSchema = z.object({
  sessionId: z.string(),
  processes: z.array(SessionProcessSchema),
  /** False where the platform gives no process table (not Linux): the list is then always empty. */
  tracked: z.boolean(),
});
export type SessionProcessesResponse = z.infer<typeof SessionProcessesResponseSchema>;

/** The `:pid` of DELETE /api/sessions/:id/processes/:pid. */
export const ProcessPidSchema = z
  .string()
  .regex(/^[1-9]\d{0,6}$/, { message: "must be a process id (a positive integer)" })
  .transform(Number);

/** DELETE /api/sessions/:id/processes/:pid: what the stop did (it and what ran below it). */
export const ProcessStopResponseSchema = z.object({
  stopped: z.literal(true),
  sessionId: z.string(),
  pid: z.number().int(),
  /** Processes sent SIGTERM (the one named and those below it). */
  terminated: z.number().int(),
  /** Of those, killed with SIGKILL after the grace period. */
  killed: z.number().int(),
});
export type ProcessStopResponse = z.infer<typeof ProcessStopResponseSchema>;

/** POST /api/ask and WS ask -> askResponse. */
export const AskResponseSchema = z.object({
  result: z.string(),
  sessionId: z.string(),
  usage: UsageSchema.nullable(),
  costUsd: z.number().nullable(),
  durationMs: z.number(),
  isError: z.boolean(),
});
export type AskResponse = z.infer<typeof AskResponseSchema>;

/** POST /api/stream/:id -> 202. */
export const SendAcceptedSchema = z.object({ accepted: z.literal(true), promptId: z.string(), queuePosition: z.number().int() });

export const SessionListResponseSchema = z.object({ sessions: z.array(SessionInfoSchema) });

/** GET /api/claude/status: as /api/info's `claude`, after the start-up check (so `checking` is false). */
export const ClaudeStatusSchema = InfoResponseSchema.shape.claude;

/** POST /api/claude/test. */
export const ClaudeTestResponseSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  version: z.string().nullable(),
  error: z.string().optional(),
});
