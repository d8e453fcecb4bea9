// Option and value types shared by the session, the warm pool and the manager; no behaviour here.
import type { ClaudeSpawnOptions, UserContentBlock } from "../claude/types.js";

/** Spawn settings of a session without its identity (cwd, sessionId, resume). */
export type SpawnSettings = Omit<ClaudeSpawnOptions, "cwd" | "sessionId" | "resume">;

/** A base64 image attached to a prompt. */
export interface PromptImage {
  /** e.g. "image/png". */
  mediaType: string;
  /** Base64 data without a data: prefix. */
  data: string;
}

export interface PromptInput {
  text: string;
  images?: PromptImage[];
}

export interface SendResult {
  /** Our id of the prompt, also the uuid of Claude's user message. */
  promptId: string;
  /** 0 = runs now; n = n-th in this session's queue. */
  queuePosition: number;
}

/** Time and size limits of one session. */
export interface SessionLimits {
  /** Prompts that may wait behind the running turn (SESSION_BUSY beyond). Default 20. */
  queueLimit: number;
  /** Unanswered permission prompts are denied after this many ms. Default 10 min. */
  permissionTimeoutMs: number;
  /** Silence from Claude during a turn before it is interrupted (CLAUDE_TIMEOUT); 0 disables. */
  claudeTimeoutMs: number;
  /** After a timeout interrupt, ms to wait for the result before the process is killed. Default 3000. */
  timeoutKillGraceMs: number;
  /** Idle ms before the session and its process are closed; 0 disables. */
  sessionTimeoutMs: number;
  /** RSS limit of the process in MB (RESOURCE_LIMIT); 0 disables. Default 2048. */
  memoryLimitMb: number;
  /** Interval of process stats sampling in ms; 0 disables. Default 5000. */
  statsIntervalMs: number;
  /** CPU % of the session's process tree (100 = one core) that is a runaway; 0 disables. Default 0. */
  cpuLimitPercent: number;
  /** How long (ms) the tree must stay over cpuLimitPercent. Default 600 000. */
  cpuLimitWindowMs: number;
  /** warn: a `warning` event; stop: the turn is interrupted and the offenders stopped (RESOURCE_LIMIT). Default warn. */
  cpuLimitAction: "warn" | "stop";
  /** When the tree is stopped: SIGTERM, then SIGKILL after this many ms. Default 3000. */
  treeGraceMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  queueLimit: 20,
  permissionTimeoutMs: 10 * 60 * 1000,
  claudeTimeoutMs: 5 * 60 * 1000,
  timeoutKillGraceMs: 3000,
  sessionTimeoutMs: 30 * 60 * 1000,
  memoryLimitMb: 2048,
  statsIntervalMs: 5000,
  cpuLimitPercent: 0,
  cpuLimitWindowMs: 600_000,
  cpuLimitAction: "warn",
  treeGraceMs: 3000,
};

export function toUserContent(prompt: PromptInput): string | UserContentBlock[] {
  if (!prompt.images || prompt.images.length === 0) return prompt.text;
  return [
    { type: "text", text: prompt.text },
    ...prompt.images.map((img): UserContentBlock => ({ type: "image", source: { type: "base64", media_type: img.mediaType, data: img.data } })),
  ];
}
