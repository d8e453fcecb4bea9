import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createClaudeProcess, type ClaudeProcessDeps } from "../../src/claude/index.js";
import type { ClaudeEvent, ClaudeProcess, ClaudeSpawnOptions } from "../../src/claude/types.js";
import { createLogger, createSilentLogger } from "../../src/log.js";
import { CompanionError } from "../../src/protocol/errors.js";
import { childPids, collectEvents, isAlive, makeTempDir, runTurn, waitForEvent } from "../helpers/claude-events.js";
import { FAKE_CLAUDE } from "../helpers/fake-api.js";
import { processScenarios } from "./process-scenarios.js";

const logger = createSilentLogger();
const state = makeTempDir("fake-claude-state");
const work = makeTempDir("claude-proc");
const live: ClaudeProcess[] = [];
let childrenBefore: number[] = [];

function options(overrides: Partial<ClaudeSpawnOptions> = {}): ClaudeSpawnOptions {
  return {
    cliPath: FAKE_CLAUDE,
    cwd: work.dir,
    sessionId: randomUUID(),
    resume: false,
    permissionMode: "default",
    allowedTools: [],
    skipPermissions: false,
    includePartialMessages: true,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, FAKE_CLAUDE_STATE_DIR: state.dir },
    maxRetries: 1,
    ...overrides,
  };
}

function spawn(overrides: Partial<ClaudeSpawnOptions> = {}, deps: Partial<ClaudeProcessDeps> = {}): ClaudeProcess {
  const proc = createClaudeProcess(options(overrides), { logger, ...deps });
  live.push(proc);
  return proc;
}

async function ready(overrides: Partial<ClaudeSpawnOptions> = {}, deps: Partial<ClaudeProcessDeps> = {}): Promise<ClaudeProcess> {
  const proc = spawn(overrides, deps);
  await proc.ready();
  return proc;
}

beforeAll(() => {
  childrenBefore = childPids();
});

afterEach(async () => {
  await Promise.all(live.splice(0).map((p) => p.stop()));
});

afterAll(() => {
  // No test may leave a child (or a zombie) behind.
  expect(childPids().filter((pid) => !childrenBefore.includes(pid))).toEqual([]);
  state.remove();
  work.remove();
});

describe("ClaudeProcess against the fake CLI: the scenarios shared with the real CLI", () => {
  processScenarios({
    ready: (overrides) => ready(overrides),
    workDir: () => work.dir,
    reply: "please reply",
    replyDeltas: ["Hello ", "from ", "fake ", "Claude."],
    slow: "be slow",
    write: (file) => `permission ${file}`,
    written: "hello from fake claude\n",
    question: "a question for you",
    remember: (word) => `echo remember ${word}`,
    expectResumed: async (resumed, word) => {
      const { result } = await runTurn(resumed, "history", randomUUID());
      expect(result.result).toBe(`History (1): echo remember ${word}`);
    },
  });
});

describe("ClaudeProcess against the fake CLI", () => {
  test("ready() resolves on the initialize reply with pid, version and mode", async () => {
    const proc = spawn();
    const info = await proc.ready();
    expect(proc.alive).toBe(true);
    expect(info.pid).toBe(proc.pid);
    expect(info.version).toBe("2.1.332");
    expect(info.permissionMode).toBe("default");
    expect(info.models?.length).toBeGreaterThan(0);
  });

  test("fake-only details of a text turn: the cost, the message id of the deltas, unknown line types passed on", async () => {
    const proc = await ready();
    const { events, result } = await runTurn(proc, "please reply", randomUUID());
    const deltas = events.filter((e): e is Extract<ClaudeEvent, { kind: "textDelta" }> => e.kind === "textDelta");
    expect(events.find((e) => e.kind === "assistant")).toMatchObject({ kind: "assistant", text: "Hello from fake Claude.", messageId: deltas[0]?.messageId });
    expect(result.costUsd).toBeGreaterThan(0);
    // Unknown line types are passed on, not dropped.
    expect(events.some((e) => e.kind === "other" && e.claudeType === "command_lifecycle")).toBe(true);
  });

  test("allow with an edited input writes the edited content; the setMode suggestion reports the mode change", async () => {
    const proc = await ready();
    const file = path.join(work.dir, "allowed-edited.txt");
    const asked = waitForEvent(proc, "permissionRequest");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage("permission allowed-edited.txt", randomUUID());
    const request = await asked;
    expect(request).toMatchObject({ description: "allowed-edited.txt" });
    expect(request.suggestions).toEqual([{ type: "setMode", mode: "acceptEdits", destination: "session" }]);
    const modeChanged = waitForEvent(proc, "permissionModeChanged");
    proc.answerPermission(request.requestId, { behavior: "allow", updatedInput: { file_path: file, content: "edited\n" }, updatedPermissions: request.suggestions });
    expect((await modeChanged).mode).toBe("acceptEdits");
    expect((await done).isError).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("edited\n");
  });

  test("an interrupted message arrives as an aborted assistant message with the text so far", async () => {
    const proc = await ready();
    const firstDelta = waitForEvent(proc, "textDelta");
    const aborted = waitForEvent(proc, "assistant", (e) => e.aborted === true);
    proc.sendUserMessage("be slow", randomUUID());
    await firstDelta;
    await proc.interrupt();
    expect((await aborted).text).toMatch(/^w0 /);
  });

  test("without partial messages there are no deltas, only the assistant line", async () => {
    const proc = await ready({ includePartialMessages: false });
    const { events, result } = await runTurn(proc, "reply", randomUUID());
    expect(events.some((e) => e.kind === "textDelta")).toBe(false);
    expect(result.result).toBe("Hello from fake Claude.");
  });

  test("allow with an addRules update for the tool stops asking without changing the mode", async () => {
    const proc = await ready();
    const asked = waitForEvent(proc, "permissionRequest");
    const first = waitForEvent(proc, "result");
    proc.sendUserMessage("permission rule1.txt", randomUUID());
    proc.answerPermission((await asked).requestId, {
      behavior: "allow",
      updatedPermissions: [{ type: "addRules", rules: [{ toolName: "Write" }], behavior: "allow", destination: "session" }],
    });
    await first;
    const { events } = await runTurn(proc, "permission rule2.txt", randomUUID());
    expect(events.some((e) => e.kind === "permissionRequest" || e.kind === "permissionModeChanged")).toBe(false);
    expect(existsSync(path.join(work.dir, "rule2.txt"))).toBe(true);
  });

  test("interrupt during a pending permission withdraws it", async () => {
    const proc = await ready();
    const asked = waitForEvent(proc, "permissionRequest");
    const cancelled = waitForEvent(proc, "permissionCancelled");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage("permission never.txt", randomUUID());
    const request = await asked;
    await proc.interrupt();
    expect((await cancelled).requestId).toBe(request.requestId);
    expect(await done).toMatchObject({ isError: true, terminalReason: "aborted_tools" });
    expect(existsSync(path.join(work.dir, "never.txt"))).toBe(false);
  });

  test("setPermissionMode and setModel resolve on their replies; a refused mode rejects with CLAUDE_ERROR", async () => {
    const proc = await ready();
    const changed = waitForEvent(proc, "permissionModeChanged");
    await proc.setPermissionMode("plan");
    expect((await changed).mode).toBe("plan");
    await proc.setModel("sonnet");
    const { events } = await runTurn(proc, "reply", randomUUID());
    expect(events.find((e) => e.kind === "init")).toMatchObject({ model: "sonnet", permissionMode: "plan" });
    const refused = proc.setPermissionMode("bypassPermissions");
    await expect(refused).rejects.toBeInstanceOf(CompanionError);
    await expect(refused).rejects.toMatchObject({ code: "CLAUDE_ERROR", details: { errorCode: "bypass_not_launched" } });
  });

  test("a crash mid-turn gives the exit code and the stderr tail", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        cb();
      },
    });
    const proc = spawn({}, { logger: createLogger({ format: "json", destination: sink, level: "debug" }) });
    await proc.ready();
    const { events } = collectEvents(proc);
    proc.sendUserMessage("crash now", randomUUID());
    const exit = await proc.exited;
    expect(exit).toMatchObject({ exitCode: 3, signal: null, requested: false });
    expect(exit.stderrTail).toContain("simulated crash");
    expect(events.some((e) => e.kind === "textDelta")).toBe(true);
    expect(proc.alive).toBe(false);
    expect(await proc.stats()).toBeNull();
    expect(() => proc.sendUserMessage("hello", randomUUID())).toThrow(expect.objectContaining({ code: "CLAUDE_EXITED" }));
    await expect(proc.interrupt()).rejects.toMatchObject({ code: "CLAUDE_ERROR" });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => l.msg === "claude exited unexpectedly")).toMatchObject({
      level: 40, room: "claude", sessionId: proc.sessionId, exitCode: 3,
    });
  });

  test("a non-JSON stdout line becomes a warning event and the turn goes on", async () => {
    const proc = await ready();
    const { events, result } = await runTurn(proc, "garbage please", randomUUID());
    expect(events.find((e) => e.kind === "warning")).toMatchObject({ line: "this line is not JSON {" });
    expect(result.result).toBe("Hello after garbage.");
  });

  test("stop() kills a process that ignores SIGTERM within 8 s", async () => {
    const proc = await ready();
    const pid = proc.pid ?? -1;
    const init = waitForEvent(proc, "init");
    proc.sendUserMessage("hang", randomUUID());
    await init;
    const started = Date.now();
    const exit = await proc.stop();
    expect(Date.now() - started).toBeLessThan(8000);
    expect(exit).toMatchObject({ signal: "SIGKILL", requested: true });
    expect(isAlive(pid)).toBe(false);
  }, 15_000);

  test("stop() on an idle process closes stdin and it exits 0; stop() is idempotent", async () => {
    const proc = await ready();
    const first = proc.stop();
    expect(proc.stop()).toBe(first);
    const exit = await first;
    expect(exit).toMatchObject({ exitCode: 0, signal: null, requested: true });
    expect(await proc.stop()).toBe(exit);
  });

  test("kill() sends SIGKILL at once", async () => {
    const proc = await ready();
    proc.kill();
    expect(await proc.exited).toMatchObject({ signal: "SIGKILL", requested: true });
  });

  test("a missing CLI rejects ready() with CLAUDE_UNAVAILABLE and resolves exited", async () => {
    const cliPath = path.join(work.dir, "no-such-claude");
    const proc = spawn({ cliPath });
    const error = await proc.ready().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CompanionError);
    expect(error).toMatchObject({
      code: "CLAUDE_UNAVAILABLE",
      details: { path: cliPath, suggestion: "npm install -g @anthropic-ai/claude-code" },
    });
    expect((error as CompanionError).details.originalError).toMatch(/ENOENT/);
    expect(await proc.exited).toMatchObject({ exitCode: null, requested: false });
    expect(proc.alive).toBe(false);
    expect(proc.pid).toBeUndefined();
    await expect(proc.interrupt()).rejects.toMatchObject({ code: "CLAUDE_ERROR" });
    expect(await proc.stats()).toBeNull();
    expect(await proc.stop()).toMatchObject({ requested: false });
  });

  test("an exit before ready (session id in use) rejects ready() with CLAUDE_EXITED and the stderr line", async () => {
    const proc = await ready();
    await runTurn(proc, "reply", randomUUID());
    const again = spawn({ sessionId: proc.sessionId });
    await expect(again.ready()).rejects.toMatchObject({
      code: "CLAUDE_EXITED",
      details: { exitCode: 1, stderrTail: expect.stringContaining("is already in use") },
    });
  });

  test("an unknown --resume id fails with a result", async () => {
    const unknown = spawn({ sessionId: randomUUID(), resume: true });
    const errorResult = waitForEvent(unknown, "result").catch(() => undefined);
    await expect(unknown.ready()).rejects.toMatchObject({ code: "CLAUDE_EXITED" });
    expect(await errorResult).toMatchObject({ isError: true, result: expect.stringContaining("No conversation found") });
  });

  test("multi-MB lines in both directions", async () => {
    const proc = await ready();
    const big = "y".repeat(5 * 1024 * 1024);
    const { result, events } = await runTurn(proc, `echo ${big}`, randomUUID());
    expect(result.result.length).toBe(big.length + 5);
    expect(events.filter((e) => e.kind === "textDelta").map((e) => (e as { text: string }).text).join("")).toBe(`echo ${big}`);
  });

  test("100 000 deltas arrive complete and in order", async () => {
    const proc = await ready();
    let count = 0;
    const off = proc.onEvent((e) => {
      if (e.kind === "textDelta") count++;
    });
    const started = Date.now();
    const { result } = await runTurn(proc, "long 100000", randomUUID(), 60_000);
    off();
    expect(result.result).toBe("long 100000 done");
    expect(count).toBe(100_000);
    // Informational: throughput of parse + map + emit on this machine.
    console.info(`100000 deltas in ${Date.now() - started} ms`);
  }, 60_000);

  test("stats() reports CPU and RSS of a live process", async () => {
    const proc = await ready();
    const stats = await proc.stats();
    expect(stats?.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(stats?.cpu).toBeGreaterThanOrEqual(0);
  });

  test("stopping several processes in different states leaves no child behind", async () => {
    const before = childPids();
    const idle = await ready();
    const busy = await ready();
    // Shorter grace periods than the defaults: the default schedule is covered above.
    const hung = await ready({}, { stdinGraceMs: 300, termGraceMs: 700 });
    const pids = [idle.pid, busy.pid, hung.pid] as number[];
    expect(childPids().filter((p) => !before.includes(p)).sort()).toEqual([...pids].sort());
    const slow = waitForEvent(busy, "textDelta");
    busy.sendUserMessage("slow", randomUUID());
    const hangInit = waitForEvent(hung, "init");
    hung.sendUserMessage("hang", randomUUID());
    await Promise.all([slow, hangInit]);
    const exits = await Promise.all([idle.stop(), busy.stop(), hung.stop()]);
    expect(exits.map((e) => e.signal)).toEqual([null, null, "SIGKILL"]);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(childPids().filter((p) => !before.includes(p))).toEqual([]);
  }, 15_000);
});
