// A scripted in-memory ClaudeProcess for timer tests under fake timers; the behaviour tests use the fake CLI instead.
import type { ClaudeEvent, ClaudeExit, ClaudeProcess, ClaudeReadyInfo, ClaudeSpawnOptions, PermissionAnswer, StartClaude } from "../../src/claude/types.js";

let nextPid = 900_000;

export class ScriptedProcess implements ClaudeProcess {
  readonly pid = nextPid++;
  readonly sessionId: string;
  readonly exited: Promise<ClaudeExit>;
  /** Calls received, e.g. "send:<uuid>", "answer:<id>:<behavior>", "interrupt", "stop", "kill". */
  readonly calls: string[] = [];
  readonly answers: PermissionAnswer[] = [];
  alive = true;
  private listeners = new Set<(e: ClaudeEvent) => void>();
  private resolveExit!: (exit: ClaudeExit) => void;

  constructor(readonly options: Readonly<ClaudeSpawnOptions>) {
    this.sessionId = options.sessionId;
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  ready(): Promise<ClaudeReadyInfo> {
    return Promise.resolve({ pid: this.pid, raw: {} });
  }
  onEvent(listener: (e: ClaudeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  sendUserMessage(_content: unknown, uuid: string): void {
    this.calls.push(`send:${uuid}`);
  }
  answerPermission(requestId: string, answer: PermissionAnswer): void {
    this.calls.push(`answer:${requestId}:${answer.behavior}`);
    this.answers.push(answer);
  }
  interrupt(): Promise<void> {
    this.calls.push("interrupt");
    return Promise.resolve();
  }
  setPermissionMode(): Promise<void> {
    return Promise.resolve();
  }
  setModel(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<ClaudeExit> {
    this.calls.push("stop");
    this.exit({ exitCode: 0, signal: null, requested: true });
    return this.exited;
  }
  kill(): void {
    this.calls.push("kill");
    this.exit({ exitCode: null, signal: "SIGKILL", requested: true });
  }
  stats(): Promise<{ cpu: number; rssBytes: number } | null> {
    return Promise.resolve(this.alive ? { cpu: 1, rssBytes: 100 * 1024 * 1024 } : null);
  }

  /** Emits one event as if Claude had printed it. */
  emit(event: ClaudeEvent): void {
    for (const l of this.listeners) l(event);
  }
  exit(exit: Omit<ClaudeExit, "stderrTail"> & { stderrTail?: string }): void {
    if (!this.alive) return;
    this.alive = false;
    this.resolveExit({ stderrTail: "", ...exit });
  }
}

/** A StartClaude that hands out ScriptedProcesses and remembers them. */
export function scriptedStarter(): { startClaude: StartClaude; started: ScriptedProcess[] } {
  const started: ScriptedProcess[] = [];
  return {
    started,
    startClaude: (options) => {
      const p = new ScriptedProcess(options);
      started.push(p);
      return p;
    },
  };
}

export function resultEvent(uuid: string): ClaudeEvent {
  return { kind: "result", subtype: "success", isError: false, result: "ok", userMessageUuids: [uuid] };
}
