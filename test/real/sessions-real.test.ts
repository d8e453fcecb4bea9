// Session behaviours against the real pinned Claude Code CLI, offline against the fake Messages API.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { childPids } from "../helpers/claude-events.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { startTestManager, type TestManager } from "../helpers/sessions-harness.js";
import { tempDir, cleanupTempDirs } from "../helpers/tmp.js";

let api: FakeAnthropicApi;
let h: TestManager;
let childrenBefore: number[] = [];

const textOf = (content: unknown): string =>
  typeof content === "string" ? content : Array.isArray(content) ? content.map((b: { text?: unknown }) => (typeof b.text === "string" ? b.text : "")).join("\n") : "";

describe.skipIf(!realClaudeInstalled())("sessions against the real Claude Code CLI", () => {
  beforeAll(async () => {
    childrenBefore = childPids();
    api = await startFakeAnthropicApi({ slowCount: 100, slowDelayMs: 100 });
    h = startTestManager({
      claudeTimeoutMs: 60_000,
      defaults: { cliPath: REAL_CLAUDE, env: realClaudeEnv(api, tempDir("cc-real-config-")), maxRetries: 1 },
    });
  });

  afterAll(async () => {
    expect(h?.recorder.invalid ?? []).toEqual([]);
    await h?.close();
    await api?.close();
    cleanupTempDirs();
    expect(childPids().filter((pid) => !childrenBefore.includes(pid))).toEqual([]);
  });

  test("a text turn streams the API's deltas in order and ends with streamComplete", async () => {
    const { manager, recorder } = h;
    const s = await manager.create({ prompt: "hello there" });
    const done = await recorder.wait(s.id, "streamComplete", () => true, { timeoutMs: 20_000 });
    expect(done.data).toMatchObject({ isError: false, result: "Hello from fake API." });
    const deltas = recorder.ofType(s.id, "streamData").flatMap((e) => (e.data.kind === "delta" ? [e.data.text] : []));
    // The API's four deltas, coalesced: the first at once, the others (one stdout chunk) in one event.
    expect(deltas.join("")).toBe("Hello from fake API.");
    expect(deltas[0]).toBe("Hello ");
    const userPrompt = recorder.ofType(s.id, "userMessage")[0]!.data.promptId;
    expect(done.data.promptIds).toEqual([userPrompt]);
    await recorder.wait(s.id, "sessionUpdate", (e) => e.data.state === "idle" && e.data.reason === "turn-complete");
    await manager.closeSession(s.id);
  });

  test("allow writes the file; deny does not and Claude is told why", async () => {
    const { manager, recorder, cwd } = h;
    const allowed = path.join(cwd, "allowed.txt");
    const denied = path.join(cwd, "denied.txt");
    const s = await manager.create({ prompt: `WRITEFILE ${allowed}` });
    const req = await recorder.wait(s.id, "permissionRequest", () => true, { timeoutMs: 20_000 });
    expect(req.data).toMatchObject({ kind: "tool", toolName: "Write" });
    manager.answerPermission(s.id, req.data.permissionId, { decision: "allow" });
    const first = await recorder.wait(s.id, "streamComplete", () => true, { timeoutMs: 20_000 });
    expect(first.data.isError).toBe(false);
    expect(readFileSync(allowed, "utf8")).toBe("hi\n");

    manager.send(s.id, { text: `WRITEFILE ${denied}` });
    const req2 = await recorder.wait(s.id, "permissionRequest", () => true, { afterSeq: first.seq, timeoutMs: 20_000 });
    manager.answerPermission(s.id, req2.data.permissionId, { decision: "deny", message: "Nope from the test" });
    const second = await recorder.wait(s.id, "streamComplete", () => true, { afterSeq: first.seq, timeoutMs: 20_000 });
    expect(existsSync(denied)).toBe(false);
    const toolResult = recorder.ofType(s.id, "streamToolUse").filter((e) => e.seq > first.seq && e.data.phase === "result")[0]!;
    expect(toolResult.data).toMatchObject({ isError: true });
    expect(toolResult.data.phase === "result" && toolResult.data.content).toContain("Nope from the test");
    expect(second.seq).toBeGreaterThan(toolResult.seq);
    await manager.closeSession(s.id);
  });

  test("interrupt mid-stream ends the turn and the same process answers the next prompt", async () => {
    const { manager, recorder } = h;
    const s = await manager.create({ prompt: "please be SLOW" });
    await recorder.wait(s.id, "streamData", (e) => e.data.kind === "delta", { timeoutMs: 20_000 });
    const pid = s.process!.pid;
    await manager.interrupt(s.id);
    const aborted = await recorder.wait(s.id, "streamComplete", () => true, { timeoutMs: 10_000 });
    expect(aborted.data).toMatchObject({ isError: true, terminalReason: "aborted_streaming" });
    expect(recorder.ofType(s.id, "sessionError")).toEqual([]);
    const { promptId } = manager.send(s.id, { text: "are you still there?" });
    const done = await recorder.wait(s.id, "streamComplete", (e) => e.data.promptIds.includes(promptId), { timeoutMs: 20_000 });
    expect(done.data).toMatchObject({ isError: false, result: "Hello from fake API." });
    expect(s.process!.pid).toBe(pid);
    await manager.closeSession(s.id);
  });

  test("kill -9 reports CLAUDE_EXITED; the next prompt resumes and the API receives the earlier conversation", async () => {
    const { manager, recorder } = h;
    const s = await manager.create({ prompt: "Remember the word banana" });
    const first = await recorder.wait(s.id, "streamComplete", () => true, { timeoutMs: 20_000 });
    const pid = s.process!.pid!;
    process.kill(pid, "SIGKILL");
    const err = await recorder.wait(s.id, "sessionError", () => true, { afterSeq: first.seq, timeoutMs: 10_000 });
    expect(err.data).toMatchObject({ code: "CLAUDE_EXITED", details: { signal: "SIGKILL" } });
    await vi.waitFor(() => expect(s.process).toBeUndefined());

    const before = api.messageRequests().length;
    const { promptId } = manager.send(s.id, { text: "What word did I ask you to remember?" });
    const done = await recorder.wait(s.id, "streamComplete", (e) => e.data.promptIds.includes(promptId), { timeoutMs: 30_000 });
    expect(done.data.isError).toBe(false);
    expect(s.process!.pid).not.toBe(pid);
    expect(s.process!.options.resume).toBe(true);
    const request = api.messageRequests().slice(before).find((b) => (b.messages ?? []).some((m) => textOf(m.content).includes("What word did I ask")));
    const history = (request?.messages ?? []).map((m) => textOf(m.content)).join("\n");
    expect(history).toContain("Remember the word banana");
    expect(history).toContain("Hello from fake API.");
    await manager.closeSession(s.id);
  });

  test("an API error becomes CLAUDE_ERROR with the CLI's message", async () => {
    const { manager, recorder } = h;
    const s = await manager.create({ prompt: "ERROR401 please" });
    const done = await recorder.wait(s.id, "streamComplete", () => true, { timeoutMs: 30_000 });
    expect(done.data.isError).toBe(true);
    const err = recorder.ofType(s.id, "sessionError")[0]!;
    expect(err.data.code).toBe("CLAUDE_ERROR");
    expect(err.data.message.toLowerCase()).toMatch(/401|api key|x-api-key|auth/);
    await manager.closeSession(s.id);
  });
});
