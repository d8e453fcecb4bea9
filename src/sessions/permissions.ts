// A session's pending permission prompts: ids, expiry, first answer wins, decision mapping; it writes answers only through ClaudeProcess.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ClaudeEvent, ClaudeProcess, PermissionAnswer } from "../claude/types.js";
import type { Decision } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import type { NewSessionEvent, SessionEventData } from "../protocol/events.js";

export type PermissionRequest = SessionEventData<"permissionRequest">;
export type PermissionKind = PermissionRequest["kind"];
type ClaudePermissionRequest = Extract<ClaudeEvent, { kind: "permissionRequest" }>;

/** A client's answer to a permission prompt. */
export interface PermissionClientAnswer {
  decision: Decision;
  /** Deny reason shown to the model. Default "Denied from claude-companion". */
  message?: string;
  /** Allow with an edited input; for `question` prompts it carries `answers`. Default: the original input. */
  updatedInput?: unknown;
}

export const DEFAULT_DENY_MESSAGE = "Denied from claude-companion";
export const DEFAULT_PERMISSION_TIMEOUT_MS = 10 * 60 * 1000;
const RESOLVED_MEMORY = 256;

export function permissionKind(toolName: string): PermissionKind {
  if (toolName === "AskUserQuestion") return "question";
  if (toolName === "ExitPlanMode") return "plan";
  return "tool";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Maps a client's decision to what Claude gets back (protocol doc §3.4). */
export function toPermissionAnswer(
  request: Pick<PermissionRequest, "kind" | "input" | "suggestions">,
  answer: PermissionClientAnswer,
): PermissionAnswer {
  if (answer.decision === "deny") return { behavior: "deny", message: answer.message ?? DEFAULT_DENY_MESSAGE };
  let updatedInput = answer.updatedInput ?? request.input;
  // AskUserQuestion wants the original input plus `answers`; a client may send only the answers.
  if (request.kind === "question" && isRecord(request.input) && isRecord(answer.updatedInput)) {
    updatedInput = { ...request.input, ...answer.updatedInput };
  }
  if (answer.decision === "allow") return { behavior: "allow", updatedInput };
  // "Always" sends the CLI's own suggestions back, every one for this session only: Claude Code suggests a Bash rule
  // with destination localSettings, which would write it into <project>/.claude/settings.local.json for every later
  // session (verified with 2.1.332). The daemon keeps the session's grants itself (session-grants.ts).
  const updatedPermissions = request.suggestions.filter(isRecord).map((s) => ({ ...s, destination: "session" }));
  return { behavior: "allow", updatedInput, updatedPermissions };
}

interface Pending {
  data: PermissionRequest;
  requestId: string;
  process: ClaudeProcess;
  timer: ReturnType<typeof setTimeout>;
}

export interface PendingPermissionsOptions {
  timeoutMs: number;
  now: () => number;
  emit: (event: NewSessionEvent) => void;
  logger: Logger;
  /** Called when the last pending prompt is resolved (Claude goes on working). */
  onSettled: () => void;
  /** An "Always allow" answer with these permission updates was sent to Claude (the session records its grants). */
  onAllowAlways?: (updates: unknown[], permissionId: string) => void;
  /** The answer could not be written to `process` (e.g. an input too deeply nested to serialise). */
  onWriteError?: (process: ClaudeProcess, error: unknown) => void;
}

export class PendingPermissions {
  private readonly pending = new Map<string, Pending>();
  // How recent prompts ended, for PERMISSION_NOT_PENDING; bounded.
  private readonly resolved = new Map<string, string>();

  constructor(private readonly options: PendingPermissionsOptions) {}

  get size(): number {
    return this.pending.size;
  }

  list(): PermissionRequest[] {
    return [...this.pending.values()].map((p) => p.data);
  }

  /** Registers Claude's can_use_tool request and emits permissionRequest. */
  add(request: ClaudePermissionRequest, process: ClaudeProcess): PermissionRequest {
    const permissionId = request.requestId || randomUUID();
    const data: PermissionRequest = {
      permissionId,
      kind: permissionKind(request.toolName),
      toolName: request.toolName,
      input: request.input,
      suggestions: request.suggestions,
      expiresAt: this.options.now() + this.options.timeoutMs,
      ...(request.toolUseId !== undefined ? { toolUseId: request.toolUseId } : {}),
      ...(request.description !== undefined ? { description: request.description } : {}),
      ...(request.blockedPath !== undefined ? { blockedPath: request.blockedPath } : {}),
    };
    const timer = setTimeout(() => this.expire(permissionId), this.options.timeoutMs);
    timer.unref?.();
    this.pending.set(permissionId, { data, requestId: request.requestId, process, timer });
    this.options.emit({ type: "permissionRequest", data });
    return data;
  }

  /** A client's answer: the first wins; later ones get PERMISSION_NOT_PENDING, unknown ids PERMISSION_NOT_FOUND. */
  answer(permissionId: string, answer: PermissionClientAnswer, client?: string): void {
    const p = this.pending.get(permissionId);
    if (!p) {
      const state = this.resolved.get(permissionId);
      if (state !== undefined) throw new CompanionError("PERMISSION_NOT_PENDING", { permissionId, state });
      throw new CompanionError("PERMISSION_NOT_FOUND", { permissionId });
    }
    const reply = toPermissionAnswer(p.data, answer);
    const who = client ? ` by ${client}` : "";
    const state = answer.decision === "deny" ? `denied${who}` : answer.decision === "allowAlways" ? `always allowed${who}` : `allowed${who}`;
    this.finish(p, state, reply, {
      permissionId,
      decision: answer.decision,
      by: "client",
      ...(client !== undefined ? { client } : {}),
      ...(reply.behavior === "deny" ? { message: reply.message } : {}),
    });
  }

  /** Claude withdrew the prompt (control_cancel_request). */
  cancel(permissionId: string, message = "Claude withdrew the request"): void {
    const p = this.pending.get(permissionId);
    if (p) this.finish(p, "cancelled by Claude", undefined, { permissionId, decision: "deny", by: "cancelled", message });
  }

  /** Resolves every pending prompt (of one process, if given) without answering Claude: it is gone or going. */
  cancelAll(by: "cancelled" | "shutdown", message: string, process?: ClaudeProcess): void {
    for (const p of [...this.pending.values()]) {
      if (process && p.process !== process) continue;
      const state = by === "shutdown" ? "cancelled when the session closed" : "cancelled";
      this.finish(p, state, undefined, { permissionId: p.data.permissionId, decision: "deny", by, message });
    }
  }

  /** Clears timers; the caller has resolved or abandoned the prompts. */
  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private expire(permissionId: string): void {
    const p = this.pending.get(permissionId);
    if (!p) return;
    const seconds = Math.round(this.options.timeoutMs / 1000);
    const message = `The permission request timed out after ${seconds} s without an answer from the user and was denied automatically.`;
    this.finish(p, "denied after a timeout", { behavior: "deny", message }, { permissionId, decision: "deny", by: "timeout", message });
  }

  private finish(p: Pending, state: string, reply: PermissionAnswer | undefined, resolution: SessionEventData<"permissionResolved">): void {
    clearTimeout(p.timer);
    this.pending.delete(p.data.permissionId);
    this.resolved.set(p.data.permissionId, state);
    if (this.resolved.size > RESOLVED_MEMORY) {
      const oldest = this.resolved.keys().next();
      if (!oldest.done) this.resolved.delete(oldest.value);
    }
    let writeError: unknown;
    if (reply && p.process.alive) {
      try {
        p.process.answerPermission(p.requestId, reply);
      } catch (error) {
        this.options.logger.warn({ err: error, permissionId: p.data.permissionId }, "could not send the permission answer to Claude");
        writeError = error ?? new Error("write failed");
      }
    }
    if (reply?.behavior === "allow" && reply.updatedPermissions && writeError === undefined && p.process.alive) {
      this.options.onAllowAlways?.(reply.updatedPermissions, p.data.permissionId);
    }
    this.options.emit({ type: "permissionResolved", data: resolution });
    // Claude waits for an answer that never came: the session ends the turn rather than let it hang.
    if (writeError !== undefined) this.options.onWriteError?.(p.process, writeError);
    if (this.pending.size === 0) this.options.onSettled();
  }
}
