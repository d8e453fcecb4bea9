// The ClaudeProcess behaviours again, against the real pinned Claude Code CLI driven offline by the fake Messages API.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createClaudeProcess, type ClaudeProcessDeps } from "../../src/claude/index.js";
import type { ClaudeEvent, ClaudeProcess, ClaudeSpawnOptions } from "../../src/claude/types.js";
import { createSilentLogger } from "../../src/log.js";
import { childPids, isAlive, makeTempDir, runTurn, waitForEvent } from "../helpers/claude-events.js";
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

  test("ready, then a text turn streams deltas in order and ends with one result", async () => {
    const proc = spawn();
    const info = await proc.ready();
    expect(info).toMatchObject({ pid: proc.pid, version: "2.1.332", permissionMode: "default" });
    const uuid = randomUUID();
    const { events, result } = await runTurn(proc, "hello there", uuid);
    expect(deltasOf(events)).toEqual(["Hello ", "from ", "fake ", "API."]);
    expect(events.find((e) => e.kind === "init")).toMatchObject({ sessionId: proc.sessionId, permissionMode: "default" });
    expect(events.find((e) => e.kind === "assistant")).toMatchObject({ text: "Hello from fake API." });
    expect(events.filter((e) => e.kind === "result")).toHaveLength(1);
    expect(result).toMatchObject({ subtype: "success", isError: false, result: "Hello from fake API.", userMessageUuids: [uuid] });
  });

  test("allow writes the file; allow-always (setMode suggestion) stops asking", async () => {
    const proc = await ready();
    const file = path.join(project.dir, "hello.txt");
    const asked = waitForEvent(proc, "permissionRequest");
    const toolResult = waitForEvent(proc, "toolResult");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage("please WRITEFILE", randomUUID());
    const request = await asked;
    expect(request).toMatchObject({ toolName: "Write", input: { file_path: file } });
    proc.answerPermission(request.requestId, { behavior: "allow", updatedInput: request.input, updatedPermissions: request.suggestions });
    expect(await toolResult).toMatchObject({ isError: false, structured: { type: "create", filePath: file } });
    expect(await done).toMatchObject({ isError: false, result: "Done with tool." });
    expect(readFileSync(file, "utf8")).toBe("hi\n");

    const second = path.join(project.dir, "second.txt");
    const { events } = await runTurn(proc, `please WRITEFILE ${second}`, randomUUID());
    expect(events.some((e) => e.kind === "permissionRequest")).toBe(false);
    expect(readFileSync(second, "utf8")).toBe("hi\n");
  });

  test("deny does not write the file and the turn goes on", async () => {
    const proc = await ready();
    const asked = waitForEvent(proc, "permissionRequest");
    const toolResult = waitForEvent(proc, "toolResult");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage("please WRITEFILE", randomUUID());
    proc.answerPermission((await asked).requestId, { behavior: "deny", message: "User said no from the phone" });
    expect(await toolResult).toMatchObject({ isError: true, content: "User said no from the phone" });
    expect(await done).toMatchObject({ subtype: "success", result: "Done with tool." });
    expect(existsSync(path.join(project.dir, "hello.txt"))).toBe(false);
  });

  test("AskUserQuestion is answered through updatedInput.answers", async () => {
    const proc = await ready();
    const asked = waitForEvent(proc, "permissionRequest");
    const toolResult = waitForEvent(proc, "toolResult");
    proc.sendUserMessage("please ASKQ", randomUUID());
    const request = await asked;
    expect(request.toolName).toBe("AskUserQuestion");
    const input = request.input as { questions: { question: string }[] };
    proc.answerPermission(request.requestId, {
      behavior: "allow",
      updatedInput: { ...input, answers: { [input.questions[0]?.question ?? ""]: "Blue" } },
    });
    expect((await toolResult).content).toContain('="Blue"');
  });

  test("interrupt mid-stream ends the turn and the same process answers the next prompt", async () => {
    const proc = await ready();
    const firstDelta = waitForEvent(proc, "textDelta");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage("please be SLOW", randomUUID());
    await firstDelta;
    await proc.interrupt();
    expect(await done).toMatchObject({ subtype: "error_during_execution", isError: true, terminalReason: "aborted_streaming" });
    const { result } = await runTurn(proc, "are you still there?", randomUUID());
    expect(result.result).toBe("Hello from fake API.");
    expect(proc.alive).toBe(true);
  });

  test("resume in a new process: the API receives the earlier conversation", async () => {
    const first = await ready();
    await runTurn(first, "Remember the word banana", randomUUID());
    expect((await first.stop()).exitCode).toBe(0);

    const resumed = await ready({ sessionId: first.sessionId, resume: true });
    const before = api.messageRequests().length;
    const { events, result } = await runTurn(resumed, "What word did I ask you to remember?", randomUUID());
    expect(events.find((e) => e.kind === "init")).toMatchObject({ sessionId: first.sessionId });
    expect(result.isError).toBe(false);
    const request = api.messageRequests().slice(before).at(-1);
    const sent = JSON.stringify(request?.messages);
    expect(sent).toContain("Remember the word banana");
    expect(sent).toContain("What word did I ask you to remember?");
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
