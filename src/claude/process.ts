// One live Claude Code child: spawn (execa), stdout events, the control protocol, stop/kill. Knows nothing of sessions.
import { randomUUID } from "node:crypto";
import type { Logger } from "../log.js";
import type { PermissionMode } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import { buildClaudeArgs } from "./args.js";
import { parseCommands } from "./commands.js";
import { buildChildEnv } from "./env.js";
import { SESSION_MARKER_ENV, startTimeOf } from "./proc-table.js";
import { createLineParser, type ParsedLine } from "./line-parser.js";
import { mapClaudeLine } from "./messages.js";
import { ControlRequestSchema, ControlResponseSchema, type ControlResponseLine } from "./schemas.js";
import { spawnChild, spawnFailure, STDERR_TAIL_LENGTH, type Child } from "./spawn.js";
import { forgetProcess, sampleProcess } from "./stats.js";
import { createStdinWriter, type StdinWriter } from "./stdin-writer.js";
import type {
  ClaudeEvent,
  ClaudeExit,
  ClaudeProcess,
  ClaudeReadyInfo,
  ClaudeSpawnOptions,
  PermissionAnswer,
  UserContentBlock,
} from "./types.js";

export interface ClaudeProcessDeps {
  logger: Logger;
  /** stop(): wait this long after closing stdin before SIGTERM. Default 2000 ms (the SDK's value). */
  stdinGraceMs?: number;
  /** stop(): wait this long after SIGTERM before SIGKILL. Default 5000 ms. */
  termGraceMs?: number;
  /** Longest stdout line accepted (characters). Default 64 MiB. */
  maxLineLength?: number;
}

type Envelope = ControlResponseLine["response"];
interface PendingRequest {
  subtype: string;
  resolve: (envelope: Envelope) => void;
  reject: (error: Error) => void;
}

function delay(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

class ClaudeChildProcess implements ClaudeProcess {
  readonly sessionId: string;
  readonly options: Readonly<ClaudeSpawnOptions>;
  readonly exited: Promise<ClaudeExit>;
  private readonly log: Logger;
  private readonly deps: ClaudeProcessDeps;
  private readonly child: Child;
  private readonly writer: StdinWriter;
  private readonly listeners = new Set<(event: ClaudeEvent) => void>();
  private readonly pending = new Map<string, PendingRequest>();
  private readonly readyPromise: Promise<ClaudeReadyInfo>;
  private readonly childPid: number | undefined;
  readonly startTime: string | undefined;
  private stderrTail = "";
  private exitSeen = false;
  private exitInfo: ClaudeExit | undefined;
  private requested = false;
  private stopPromise: Promise<ClaudeExit> | undefined;

  constructor(options: ClaudeSpawnOptions, deps: ClaudeProcessDeps) {
    this.options = Object.freeze({ ...options, allowedTools: [...options.allowedTools] });
    this.sessionId = options.sessionId;
    this.deps = deps;
    this.log = deps.logger.child({ room: "claude", sessionId: options.sessionId });

    const args = buildClaudeArgs(options);
    // The marker is inherited by every tool subprocess: it is how the session finds what its Claude started.
    const env = { ...buildChildEnv(options.env, { maxRetries: options.maxRetries }), [SESSION_MARKER_ENV]: options.sessionId };
    this.child = spawnChild(options.cliPath, args, options.cwd, env);
    this.childPid = this.child.pid;
    this.startTime = this.childPid !== undefined ? (startTimeOf(this.childPid) ?? undefined) : undefined;
    this.child.on("exit", () => {
      this.exitSeen = true;
    });
    this.writer = createStdinWriter(this.child.stdin, (error) =>
      this.log.debug({ err: error.message }, "claude stdin closed with an error"),
    );

    const parser = createLineParser({ maxLineLength: deps.maxLineLength });
    const stdoutDone = new Promise<void>((resolve) => {
      this.child.stdout.setEncoding("utf8");
      this.child.stdout.on("data", (chunk: string) => this.handleLines(parser.push(chunk)));
      this.child.stdout.once("end", () => {
        this.handleLines(parser.end());
        resolve();
      });
      this.child.stdout.once("close", () => resolve());
      this.child.stdout.once("error", () => resolve());
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => {
      const tail = this.stderrTail + chunk;
      this.stderrTail = tail.length > STDERR_TAIL_LENGTH ? tail.slice(-STDERR_TAIL_LENGTH) : tail;
      this.log.debug({ stderr: chunk.trimEnd() }, "claude stderr");
    });

    // With reject:false execa resolves even on failure; a rejection would be an execa bug, read the same way.
    this.exited = this.child
      .then(
        (result) => result,
        (error: unknown) => error as Awaited<Child>,
      )
      .then(async (result) => {
        await stdoutDone;
        return this.onExit(result);
      });
    // The first line: readiness is the reply to `initialize` (system/init only comes per turn).
    this.readyPromise = this.request({ subtype: "initialize" }).then((envelope) => this.readyInfo(envelope));
    this.readyPromise.catch(() => undefined);
    this.log.info({ pid: this.childPid, cwd: options.cwd, resume: options.resume }, "claude spawned");
  }

  get pid(): number | undefined {
    return this.childPid;
  }

  get alive(): boolean {
    return this.childPid !== undefined && !this.exitSeen && this.exitInfo === undefined;
  }

  ready(): Promise<ClaudeReadyInfo> {
    return this.readyPromise;
  }

  onEvent(listener: (event: ClaudeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  sendUserMessage(content: string | UserContentBlock[], uuid: string): void {
    const line = {
      type: "user",
      message: { role: "user", content },
      parent_tool_use_id: null,
      session_id: this.sessionId,
      uuid,
    };
    if (!this.alive || !this.writer.write(line)) {
      throw new CompanionError("CLAUDE_EXITED", {
        exitCode: this.exitInfo?.exitCode ?? null,
        signal: this.exitInfo?.signal ?? null,
      }, { stderrTail: this.stderrTail });
    }
  }

  answerPermission(requestId: string, answer: PermissionAnswer): void {
    const line = { type: "control_response", response: { subtype: "success", request_id: requestId, response: answer } };
    // A late answer after exit (or after control_cancel_request) is moot; the CLI ignores late answers too.
    if (!this.alive || !this.writer.write(line)) this.log.warn({ requestId }, "permission answer dropped: claude is not running");
  }

  async interrupt(): Promise<void> {
    await this.request({ subtype: "interrupt", cancel_queued: true });
  }

  async setPermissionMode(mode: PermissionMode): Promise<void> {
    await this.request({ subtype: "set_permission_mode", mode });
  }

  async setModel(model: string | null): Promise<void> {
    await this.request({ subtype: "set_model", model });
  }

  stop(): Promise<ClaudeExit> {
    if (this.stopPromise) return this.stopPromise;
    if (!this.alive) return this.exited;
    this.requested = true;
    this.stopPromise = this.escalate();
    return this.stopPromise;
  }

  kill(): void {
    if (!this.alive) return;
    this.requested = true;
    this.child.kill("SIGKILL");
  }

  async stats(): Promise<{ cpu: number; rssBytes: number } | null> {
    const pid = this.childPid;
    if (pid === undefined || !this.alive) return null;
    const stats = await sampleProcess(pid);
    return this.alive ? stats : null;
  }

  private async escalate(): Promise<ClaudeExit> {
    // stdin EOF lets the current turn finish; SIGTERM exits at once (143) without a result line.
    this.writer.end();
    if (await this.exitsWithin(this.deps.stdinGraceMs ?? 2000)) return this.exited;
    this.log.info({ pid: this.childPid }, "claude did not exit after stdin closed: SIGTERM");
    this.child.kill("SIGTERM");
    if (await this.exitsWithin(this.deps.termGraceMs ?? 5000)) return this.exited;
    this.log.warn({ pid: this.childPid }, "claude ignored SIGTERM: SIGKILL");
    this.child.kill("SIGKILL");
    return this.exited;
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    const timer = delay(ms);
    const done = await Promise.race([this.exited.then(() => true), timer.promise.then(() => false)]);
    timer.cancel();
    return done;
  }

  private request(request: { subtype: string; [key: string]: unknown }): Promise<Envelope> {
    const requestId = randomUUID();
    return new Promise<Envelope>((resolve, reject) => {
      // Before exit is processed a failed spawn still gets its pending entry: onExit rejects it with the cause.
      if (this.exitInfo !== undefined || this.exitSeen) {
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

  private readyInfo(envelope: Envelope): ClaudeReadyInfo {
    const r = envelope.response ?? {};
    return {
      pid: typeof r.pid === "number" ? r.pid : (this.childPid ?? -1),
      ...(typeof r.claude_code_version === "string" && { version: r.claude_code_version }),
      ...(Array.isArray(r.models) && { models: r.models }),
      ...(Array.isArray(r.commands) && { commands: parseCommands(r.commands) }),
      ...(typeof r.current_permission_mode === "string" && { permissionMode: r.current_permission_mode }),
      raw: envelope,
    };
  }

  private handleLines(lines: ParsedLine[]): void {
    for (const parsed of lines) {
      if (parsed.kind === "warning") {
        this.log.warn({ line: parsed.line.slice(0, 200) }, parsed.message);
        this.emit({ kind: "warning", message: parsed.message, line: parsed.line });
      } else {
        this.handleObject(parsed.value);
      }
    }
  }

  private handleObject(obj: Record<string, unknown>): void {
    if (obj.type === "control_response") {
      const line = ControlResponseSchema.safeParse(obj);
      const pending = line.success ? this.pending.get(line.data.response.request_id) : undefined;
      if (line.success && pending) {
        this.pending.delete(line.data.response.request_id);
        const envelope = line.data.response;
        if (envelope.subtype === "success") pending.resolve(envelope);
        else {
          pending.reject(new CompanionError("CLAUDE_ERROR", { reason: envelope.error ?? `${pending.subtype} failed` }, {
            subtype: pending.subtype,
            errorCode: envelope.error_code,
          }));
        }
        return;
      }
    } else if (obj.type === "control_request") {
      const req = ControlRequestSchema.safeParse(obj);
      // We register no hooks, MCP servers or dialogs: refuse anything but can_use_tool so the CLI never waits on us.
      if (req.success && req.data.request.subtype !== "can_use_tool") {
        this.writer.write({
          type: "control_response",
          response: { subtype: "error", request_id: req.data.request_id, error: `claude-companion does not support ${req.data.request.subtype}` },
        });
      }
    }
    for (const event of mapClaudeLine(obj)) this.emit(event);
  }

  private emit(event: ClaudeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: error }, "claude event listener threw");
      }
    }
  }

  private onExit(result: Awaited<Child>): ClaudeExit {
    const exit: ClaudeExit = {
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      stderrTail: this.stderrTail,
      requested: this.requested,
    };
    this.exitSeen = true;
    this.exitInfo = exit;
    if (this.childPid !== undefined) forgetProcess(this.childPid);

    const spawnError = this.childPid === undefined ? spawnFailure(result, this.options.cliPath) : undefined;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      if (spawnError) pending.reject(spawnError);
      else if (pending.subtype === "initialize") {
        pending.reject(new CompanionError("CLAUDE_EXITED", { exitCode: exit.exitCode, signal: exit.signal }, { stderrTail: exit.stderrTail }));
      } else {
        pending.reject(new CompanionError("CLAUDE_ERROR", { reason: `the process exited before answering ${pending.subtype}` }));
      }
    }
    if (spawnError) this.log.error({ err: spawnError.message }, "claude could not be started");
    else if (exit.requested || exit.exitCode === 0) {
      this.log.info({ exitCode: exit.exitCode, signal: exit.signal, requested: exit.requested }, "claude exited");
    } else this.log.warn(exit, "claude exited unexpectedly");
    return exit;
  }

}

/** Spawns one Claude Code process (the caller has checked its cwd: sessions/working-directory.ts). */
export function createClaudeProcess(options: ClaudeSpawnOptions, deps: ClaudeProcessDeps): ClaudeProcess {
  return new ClaudeChildProcess(options, deps);
}
