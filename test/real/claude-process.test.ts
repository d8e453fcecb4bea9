// ClaudeProcess against the real pinned Claude Code CLI driven offline by the fake Messages API: the shared scenarios, then the real-only ones.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createClaudeProcess, type ClaudeProcessDeps } from "../../src/claude/index.js";
import type { ClaudeEvent, ClaudeProcess, ClaudeSpawnOptions } from "../../src/claude/types.js";
import { createSilentLogger } from "../../src/log.js";
import { childPids, isAlive, makeTempDir, runTurn, waitForEvent } from "../helpers/claude-events.js";
import { processScenarios } from "../claude/process-scenarios.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";

const logger = createSilentLogger();
const live: ClaudeProcess[] = [];
let api: FakeAnthropicApi;
let config: ReturnType<typeof makeTempDir>;
let project: ReturnType<typeof makeTempDir>;
let childrenBefore: number[] = [];

function spawn(overrides: Partial<ClaudeSpawnOptions> = {}, deps: Partial<ClaudeProcessDeps> = {}): ClaudeProcess {
  const proc = createClaudeProcess(
    {
      cliPath: REAL_CLAUDE,
      cwd: project.dir,
      sessionId: randomUUID(),
      resume: false,
      permissionMode: "default",
      allowedTools: [],
      skipPermissions: false,
      includePartialMessages: true,
      env: realClaudeEnv(api, config.dir),
      maxRetries: 0,
      ...overrides,
    },
    { logger, ...deps },
  );
  live.push(proc);
  return proc;
}

async function ready(overrides: Partial<ClaudeSpawnOptions> = {}): Promise<ClaudeProcess> {
  const proc = spawn(overrides);
  await proc.ready();
  return proc;
}

const deltasOf = (events: ClaudeEvent[]) =>
  events.filter((e): e is Extract<ClaudeEvent, { kind: "textDelta" }> => e.kind === "textDelta").map((e) => e.text);

describe.skipIf(!realClaudeInstalled())("ClaudeProcess against the real Claude Code CLI", () => {
  processScenarios({
    ready: (overrides) => ready(overrides),
    workDir: () => project.dir,
    reply: "hello there",
    replyDeltas: ["Hello ", "from ", "fake ", "API."],
    slow: "please be SLOW",
    write: (file) => `please WRITEFILE ${file}`,
    written: "hi\n",
    question: "please ASKQ",
    remember: (word) => `Remember the word ${word}`,
    expectResumed: async (resumed, word) => {
      const before = api.messageRequests().length;
      const { events, result } = await runTurn(resumed, "What word did I ask you to remember?", randomUUID());
      expect(events.find((e) => e.kind === "init")).toMatchObject({ sessionId: resumed.sessionId });
      expect(result.isError).toBe(false);
      const sent = JSON.stringify(api.messageRequests().slice(before).at(-1)?.messages);
      expect(sent).toContain(`Remember the word ${word}`);
      expect(sent).toContain("What word did I ask you to remember?");
    },
  });

  test("ready() reports pid, version and mode", async () => {
    const proc = spawn();
    expect(await proc.ready()).toMatchObject({ pid: proc.pid, version: "2.1.332", permissionMode: "default" });
  });

  beforeAll(async () => {
    childrenBefore = childPids();
    api = await startFakeAnthropicApi({ slowCount: 100, slowDelayMs: 100 });
    config = makeTempDir("claude-config");
  });

  beforeEach(() => {
    project = makeTempDir("claude-project");
  });

  afterEach(async () => {
    await Promise.all(live.splice(0).map((p) => p.stop()));
    project.remove();
  });

  afterAll(async () => {
    await api?.close();
    config?.remove();
    expect(childPids().filter((pid) => !childrenBefore.includes(pid))).toEqual([]);
  });

  test("API errors (500, 401) end the turn with an error result and the process stays usable", async () => {
    const proc = await ready();
    const started = Date.now();
    const { result } = await runTurn(proc, "ERROR500 please", randomUUID(), 20_000);
    expect(result).toMatchObject({ isError: true, result: expect.stringContaining("500") });
    expect(Date.now() - started).toBeLessThan(10_000);
    const { result: unauthorized } = await runTurn(proc, "ERROR401 please", randomUUID(), 20_000);
    // 2.1.332 words a 401 with an API key as "Invalid API key · Fix external API key" (the doc saw "API Error: 401 …").
    expect(unauthorized).toMatchObject({ isError: true, result: expect.stringMatching(/401|API key/) });
    const { result: ok } = await runTurn(proc, "hello again", randomUUID());
    expect(ok.isError).toBe(false);
  });

  test("stop() ends a process whose API call hangs (stdin EOF is not enough)", async () => {
    const proc = spawn({}, { stdinGraceMs: 1000, termGraceMs: 5000 });
    await proc.ready();
    const pid = proc.pid ?? -1;
    const requested = api.requests.length;
    proc.sendUserMessage("HANG forever", randomUUID());
    await waitForEvent(proc, "init");
    await expect.poll(() => api.requests.length, { timeout: 10_000 }).toBeGreaterThan(requested);
    const exit = await proc.stop();
    // The real CLI exits 143 on SIGTERM, without a result line.
    expect(exit).toMatchObject({ exitCode: 143, requested: true });
    expect(isAlive(pid)).toBe(false);
  });

  test("an unknown --resume id rejects ready() with CLAUDE_EXITED and an error result", async () => {
    const proc = spawn({ sessionId: randomUUID(), resume: true });
    const result = waitForEvent(proc, "result").catch(() => undefined);
    await expect(proc.ready()).rejects.toMatchObject({
      code: "CLAUDE_EXITED",
      details: { exitCode: 1, stderrTail: expect.stringContaining("No conversation found") },
    });
    expect(await result).toMatchObject({ isError: true, subtype: "error_during_execution" });
  });
});
