// Test helpers for one ClaudeProcess: wait on its events, collect them, count child processes, temp dirs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ClaudeEvent, ClaudeProcess } from "../../src/claude/types.js";

export type EventOf<K extends ClaudeEvent["kind"]> = Extract<ClaudeEvent, { kind: K }>;

/**
 * Resolves with the first event matching `kind` (and `predicate`) emitted from now on; rejects
 * after `timeoutMs` or when the process exits first (with its stderr tail in the message).
 */
export function waitForEvent<K extends ClaudeEvent["kind"]>(
  proc: ClaudeProcess,
  kind: K,
  predicate: (event: EventOf<K>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<EventOf<K>> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      fn();
    };
    const off = proc.onEvent((event) => {
      if (event.kind === kind && predicate(event as EventOf<K>)) finish(() => resolve(event as EventOf<K>));
    });
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no '${kind}' event within ${timeoutMs} ms`))),
      timeoutMs,
    );
    void proc.exited.then((exit) =>
      finish(() =>
        reject(new Error(`process exited (code ${exit.exitCode}, signal ${exit.signal}) before a '${kind}' event: ${exit.stderrTail}`)),
      ),
    );
  });
}

/** Records every event from now on; `events` is live. */
export function collectEvents(proc: ClaudeProcess): { events: ClaudeEvent[]; stop: () => void } {
  const events: ClaudeEvent[] = [];
  const stop = proc.onEvent((e) => events.push(e));
  return { events, stop };
}

/** Events up to and including the next `result`. */
export async function runTurn(
  proc: ClaudeProcess,
  prompt: string,
  uuid: string,
  timeoutMs = 15_000,
): Promise<{ events: ClaudeEvent[]; result: EventOf<"result"> }> {
  const { events, stop } = collectEvents(proc);
  const resultPromise = waitForEvent(proc, "result", () => true, timeoutMs);
  proc.sendUserMessage(prompt, uuid);
  try {
    const result = await resultPromise;
    return { events: [...events], result };
  } finally {
    stop();
  }
}

/** Pids of live (non-zombie) processes whose parent is `ppid` (default: this test process), from /proc. */
export function childPids(ppid = process.pid): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === ppid && fields[0] !== "Z") pids.push(Number(name));
    } catch {
      // raced with an exit
    }
  }
  return pids;
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** A temp dir and its removal. */
export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
