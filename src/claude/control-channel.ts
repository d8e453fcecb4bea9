// The control protocol with one Claude Code process: our requests by id and their answers, its requests we refuse (all but can_use_tool), the initialize reply read as readiness.
import { randomUUID } from "node:crypto";
import { CompanionError } from "../protocol/errors.js";
import { parseCommands } from "./commands.js";
import { ControlRequestSchema, ControlResponseSchema, type ControlResponseLine } from "./schemas.js";
import type { StdinWriter } from "./stdin-writer.js";
import type { ClaudeReadyInfo } from "./types.js";

export type ControlEnvelope = ControlResponseLine["response"];

interface PendingRequest {
  subtype: string;
  resolve: (envelope: ControlEnvelope) => void;
  reject: (error: Error) => void;
}

export class ControlChannel {
  private readonly pending = new Map<string, PendingRequest>();

  constructor(private readonly writer: StdinWriter) {}

  /** Sends a control request and waits for its answer; `exited`: the process is known to have exited (rejected at once). */
  request(request: { subtype: string; [key: string]: unknown }, exited: boolean): Promise<ControlEnvelope> {
    const requestId = randomUUID();
    return new Promise<ControlEnvelope>((resolve, reject) => {
      // Before exit is processed a failed spawn still gets its pending entry: failAll rejects it with the cause.
      if (exited) {
        reject(new CompanionError("CLAUDE_ERROR", { reason: `cannot send ${request.subtype}: the process has exited` }));
        return;
      }
      this.pending.set(requestId, { subtype: request.subtype, resolve, reject });
      if (!this.writer.write({ type: "control_request", request_id: requestId, request })) {
        this.pending.delete(requestId);
        reject(new CompanionError("CLAUDE_ERROR", { reason: `cannot send ${request.subtype}: stdin is closed` }));
      }
    });
  }

  /** Takes a control line: true when it answered one of our requests (it goes no further); a request of the CLI's we do not serve is refused. */
  handle(obj: Record<string, unknown>): boolean {
    if (obj.type === "control_response") {
      const line = ControlResponseSchema.safeParse(obj);
      const pending = line.success ? this.pending.get(line.data.response.request_id) : undefined;
      if (!line.success || !pending) return false;
      this.pending.delete(line.data.response.request_id);
      const envelope = line.data.response;
      if (envelope.subtype === "success") pending.resolve(envelope);
      else {
        pending.reject(new CompanionError("CLAUDE_ERROR", { reason: envelope.error ?? `${pending.subtype} failed` }, {
          subtype: pending.subtype,
          errorCode: envelope.error_code,
        }));
      }
      return true;
    }
    if (obj.type === "control_request") {
      const req = ControlRequestSchema.safeParse(obj);
      // We register no hooks, MCP servers or dialogs: refuse anything but can_use_tool so the CLI never waits on us.
      if (req.success && req.data.request.subtype !== "can_use_tool") {
        this.writer.write({
          type: "control_response",
          response: { subtype: "error", request_id: req.data.request_id, error: `claude-companion does not support ${req.data.request.subtype}` },
        });
      }
    }
    return false;
  }

  /** The process exited: every request still open is rejected with the error `errorFor` gives for its subtype. */
  failAll(errorFor: (subtype: string) => Error): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(errorFor(pending.subtype));
    }
  }
}

/** What the reply to `initialize` says about the process (`fallbackPid` when it names none). */
export function readyInfo(envelope: ControlEnvelope, fallbackPid: number | undefined): ClaudeReadyInfo {
  const r = envelope.response ?? {};
  return {
    pid: typeof r.pid === "number" ? r.pid : (fallbackPid ?? -1),
    ...(typeof r.claude_code_version === "string" && { version: r.claude_code_version }),
    ...(Array.isArray(r.models) && { models: r.models }),
    ...(Array.isArray(r.commands) && { commands: parseCommands(r.commands) }),
    ...(typeof r.current_permission_mode === "string" && { permissionMode: r.current_permission_mode }),
    raw: envelope,
  };
}
