// Test harness for the session manager: a manager over the fake (or real) CLI, an event recorder that waits on events.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClaudeProcess } from "../../src/claude/index.js";
import type { ClaudeProcess, ClaudeSpawnOptions, StartClaude } from "../../src/claude/types.js";
import { createSilentLogger } from "../../src/log.js";
import { SessionEventSchema, type SessionEvent, type SessionEventType } from "../../src/protocol/events.js";
import { createSessionManager, type SessionManager, type SessionManagerOptions } from "../../src/sessions/index.js";
import { FAKE_CLAUDE } from "./fake-api.js";

export type EventOfType<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;

interface Waiter {
  match: (e: SessionEvent) => boolean;
  resolve: (e: SessionEvent) => void;
}

/** Every event of every session, validated against the wire schema; wait on them without sleeping. */
export class EventRecorder {
  readonly events: SessionEvent[] = [];
  readonly invalid: unknown[] = [];
  private waiters = new Set<Waiter>();

  push(json: string): void {
    const parsed = SessionEventSchema.safeParse(JSON.parse(json));
    if (!parsed.success) {
      this.invalid.push({ json, issues: parsed.error.issues });
      return;
    }
    this.events.push(parsed.data);
    for (const w of [...this.waiters]) {
      if (w.match(parsed.data)) {
        this.waiters.delete(w);
        w.resolve(parsed.data);
      }
    }
  }

  of(sessionId: string): SessionEvent[] {
    return this.events.filter((e) => e.sessionId === sessionId);
  }

  ofType<T extends SessionEventType>(sessionId: string, type: T): EventOfType<T>[] {
    return this.of(sessionId).filter((e): e is EventOfType<T> => e.type === type);
  }

  /** The first event of `sessionId` with seq > `afterSeq` of this type that matches; already recorded ones count. */
  wait<T extends SessionEventType>(
    sessionId: string,
    type: T,
    predicate: (e: EventOfType<T>) => boolean = () => true,
    options: { afterSeq?: number; timeoutMs?: number } = {},
  ): Promise<EventOfType<T>> {
    const afterSeq = options.afterSeq ?? 0;
    const match = (e: SessionEvent): boolean => e.sessionId === sessionId && e.seq > afterSeq && e.type === type && predicate(e as EventOfType<T>);
    const found = this.events.find(match);
    if (found) return Promise.resolve(found as EventOfType<T>);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as EventOfType<T>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.of(sessionId).map((e) => `${e.seq}:${e.type}${e.type === "sessionUpdate" ? `(${e.data.state},${e.data.reason})` : e.type === "sessionError" ? `(${e.data.code})` : ""}`);
        reject(new Error(`no ${type} event for ${sessionId} after seq ${afterSeq} within ${timeoutMs} ms; seen: ${seen.join(" ")}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Highest seq recorded for a session (0 when none). */
  lastSeq(sessionId: string): number {
    const all = this.of(sessionId);
    return all.length === 0 ? 0 : all[all.length - 1]!.seq;
  }
}

export interface TestManager {
  manager: SessionManager;
  recorder: EventRecorder;
  /** Working directory of sessions by default (a temp dir). */
  cwd: string;
  /** Every process the manager started, in order. */
  processes: ClaudeProcess[];
  close(): Promise<void>;
}

export interface TestManagerOptions extends Partial<Omit<SessionManagerOptions, "defaults" | "startClaude" | "logger">> {
  defaults?: Partial<SessionManagerOptions["defaults"]>;
  /** Wraps each started process (e.g. to ignore interrupts). */
  wrap?: (proc: ClaudeProcess) => ClaudeProcess;
  /** Grace periods of ClaudeProcess.stop(); short by default to keep tests quick. */
  stdinGraceMs?: number;
  termGraceMs?: number;
}

/** A manager whose sessions run the fake CLI in a temp dir (warm pool off unless asked for). */
export function startTestManager(options: TestManagerOptions = {}): TestManager {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "cc-sessions-"));
  const stateDir = path.join(cwd, ".fake-claude-state");
  const logger = createSilentLogger();
  const processes: ClaudeProcess[] = [];
  const startClaude: StartClaude = (spawn: ClaudeSpawnOptions) => {
    const proc = createClaudeProcess(spawn, { logger, stdinGraceMs: options.stdinGraceMs ?? 500, termGraceMs: options.termGraceMs ?? 1000 });
    const wrapped = options.wrap ? options.wrap(proc) : proc;
    processes.push(wrapped);
    return wrapped;
  };
  const { defaults, wrap: _wrap, stdinGraceMs: _s, termGraceMs: _t, ...rest } = options;
  const manager = createSessionManager({
    startClaude,
    logger,
    warmPool: 0,
    statsIntervalMs: 0,
    ...rest,
    defaults: {
      cliPath: FAKE_CLAUDE,
      cwd,
      permissionMode: "default",
      allowedTools: [],
      skipPermissions: false,
      includePartialMessages: true,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FAKE_CLAUDE_STATE_DIR: stateDir },
      maxRetries: 1,
      ...defaults,
    },
  });
  const recorder = new EventRecorder();
  manager.onEvent((record) => recorder.push(record.json));
  return {
    manager,
    recorder,
    cwd,
    processes,
    close: async () => {
      await manager.close();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** A process whose interrupt() is acknowledged but never reaches Claude (to test the kill escalation). */
export function ignoringInterrupts(proc: ClaudeProcess): ClaudeProcess {
  return new Proxy(proc, {
    get(target, prop) {
      if (prop === "interrupt") return () => Promise.resolve();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
