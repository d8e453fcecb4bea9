// What the doctor's checks read: facts gathered by the CLI (daemon answers, environment) and probes they may run.
import type { ClaudeDetection } from "../claude/index.js";
import type { DoctorCheck, HealthResponse, InfoResponse } from "../protocol/index.js";
import type { RunResult, TailscaleStatus } from "../tailscale/index.js";

export type CheckResult = Omit<DoctorCheck, "id" | "title">;

export interface DaemonFacts {
  url: string;
  pid: number;
  /** The address it was started with (0.0.0.0, 127.0.0.1, …). */
  host: string;
  port: number;
  health: HealthResponse;
  info: InfoResponse;
  devices: { lastSeenAt: number | null }[];
  /** Notification channels: their type, host and whether they fail (never the URL path: an ntfy topic is a secret). */
  channels: { type: string; url: string; failing: string | null }[] | null;
}

export interface DoctorInputs {
  nodeVersion: string;
  platform: NodeJS.Platform;
  /** Only the names of credential variables are read, never printed with their values. */
  env: Record<string, string | undefined>;
  homeDir: string;
  configDir: string;
  claude: ClaudeDetection;
  /** Null when no daemon runs for this config dir. */
  daemon: DaemonFacts | null;
  /** Why the daemon is considered down (no state file, /health did not answer …). */
  daemonProblem: string | null;
  tailscale: TailscaleStatus;
  /** --tailscale / TAILSCALE=true is configured. */
  tailscaleWanted: boolean;
  /** A reverse proxy is configured (PUBLIC_URL or TRUST_PROXY): loopback-only is then intended. */
  behindProxy: boolean;
  /** TCP connect within a timeout (no bytes sent). */
  probe(host: string, port: number): Promise<boolean>;
  /** The daemon's certificate as presented on loopback: expiry and whether it is self-signed. */
  peerCertificate(port: number): Promise<{ validTo: number; selfSigned: boolean } | null>;
  run(command: string, args: readonly string[], timeoutMs: number): Promise<RunResult>;
  /** Free bytes on the file system holding the config dir, or null. */
  freeBytes(path: string): Promise<number | null>;
  now: number;
}
