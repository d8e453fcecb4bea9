// One live Claude Code child: spawn (execa), stdout lines to events, user messages and permission answers in, the stop sequence. The control protocol is control-channel.ts's. Knows nothing of sessions.
import type { Logger } from "../log.js";
import type { PermissionMode } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import { buildClaudeArgs } from "./args.js";
import { ControlChannel, readyInfo, type ControlEnvelope } from "./control-channel.js";
import { buildChildEnv } from "./env.js";
import { SESSION_MARKER_ENV, startTimeOf } from "./proc-table.js";
import { createLineParser, type ParsedLine } from "./line-parser.js";
import { mapClaudeLine } from "./messages.js";
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
  private readonly control: ControlChannel;
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
    this.control = new ControlChannel(this.writer);

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
    this.readyPromise = this.request({ subtype: "initialize" }).then((envelope) => readyInfo(envelope, this.childPid));
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

  private request(request: { subtype: string; [key: string]: unknown }): Promise<ControlEnvelope> {
    return this.control.request(request, this.exitInfo !== undefined || this.exitSeen);
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
    if (this.control.handle(obj)) return;
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
    this.control.failAll((subtype) => {
      if (spawnError) return spawnError;
      if (subtype === "initialize") return new CompanionError("CLAUDE_EXITED", { exitCode: exit.exitCode, signal: exit.signal }, { stderrTail: exit.stderrTail });
      return new CompanionError("CLAUDE_ERROR", { reason: `the process exited before answering ${subtype}` });
    });
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
