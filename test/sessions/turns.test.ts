// Turns of one session against the fake CLI (a real child process): streaming, queue, interrupt, crash, timeout, permissions.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { isCompanionError } from "../../src/protocol/errors.js";
import { isAlive } from "../helpers/claude-events.js";
import { ignoringInterrupts, startTestManager, type TestManager } from "../helpers/sessions-harness.js";

let h: TestManager | undefined;
const start = (options?: Parameters<typeof startTestManager>[0]): TestManager => (h = startTestManager(options));
afterEach(async () => {
  expect(h?.recorder.invalid ?? []).toEqual([]);
  await h?.close();
  h = undefined;
});

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isCompanionError(e) ? e.code : String(e);
  }
  return undefined;
}

describe("a text turn", () => {
  test("streams deltas in order, ends with streamComplete, and numbers every event from 1 without gaps", async () => {
    const { manager, recorder } = start();
    const session = await manager.create({ prompt: "reply please" });
    const done = await recorder.wait(session.id, "streamComplete");
    await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");

    const events = recorder.of(session.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const user = recorder.ofType(session.id, "userMessage")[0]!;
    expect(user.data).toMatchObject({ text: "reply please", images: 0 });
    expect(done.data).toMatchObject({ isError: false, subtype: "success", result: "Hello from fake Claude.", promptIds: [user.data.promptId] });
    expect(done.data.costUsd).toBeGreaterThan(0);
    const deltas = recorder.ofType(session.id, "streamData").filter((e) => e.data.kind === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => (e.data.kind === "delta" ? e.data.text : "")).join("")).toBe("Hello from fake Claude.");
    const updates = recorder.ofType(session.id, "sessionUpdate").map((e) => `${e.data.previousState ?? "-"}>${e.data.state}:${e.data.reason}`);
    expect(updates).toEqual(["->created:created", "created>active:turn-started", "active>idle:turn-complete"]);
    expect(recorder.ofType(session.id, "claudeEvent").some((e) => e.data.subtype === "init")).toBe(true);

    const info = session.info();
    expect(info).toMatchObject({ state: "idle", messageCount: 1, queueLength: 0, lastSeq: events.length, pendingPermissions: [] });
    expect(info.lastResult?.result).toBe("Hello from fake Claude.");
    expect(info.process?.pid).toBe(session.process?.pid);
  });

  test("a session without a prompt becomes idle once its process is ready", async () => {
    const { manager, recorder } = start();
    const session = await manager.create();
    const idle = await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    expect(idle.data).toMatchObject({ previousState: "created", reason: "ready" });
    expect(session.process?.alive).toBe(true);
  });

  test("a garbage stdout line becomes a warning and the turn goes on", async () => {
    const { manager, recorder } = start();
    const session = await manager.create({ prompt: "garbage" });
    const done = await recorder.wait(session.id, "streamComplete");
    expect(done.data.result).toBe("Hello after garbage.");
    expect(recorder.ofType(session.id, "warning")[0]?.data.line).toContain("this line is not JSON");
  });

  test("an API error result is reported as CLAUDE_ERROR with the CLI's message", async () => {
    const { manager, recorder } = start();
    const session = await manager.create({ prompt: "apierror" });
    const done = await recorder.wait(session.id, "streamComplete");
    expect(done.data.isError).toBe(true);
    const err = recorder.ofType(session.id, "sessionError")[0]!;
    expect(err.data.code).toBe("CLAUDE_ERROR");
    expect(err.data.message).toContain("API Error: 500");
    // What to do, beside what happened (issue 17 defect 4).
    expect(err.data.message).toMatch(/^Claude Code reported an error \(try again; if it keeps failing, run `claude` in a terminal/);
    expect(err.seq).toBeLessThan(done.seq);
  });
});

describe("queue and interrupt", () => {
  test("a prompt sent during a turn is queued with position 1 and runs after the first result", async () => {
    const { manager, recorder } = start();
    const session = await manager.create();
    // The turn starts synchronously, so even a short first prompt is running when the second is sent.
    const first = manager.send(session.id, { text: "echo first" });
    const second = manager.send(session.id, { text: "echo second" });
    expect(first.queuePosition).toBe(0);
    expect(second.queuePosition).toBe(1);
    expect(session.info().queueLength).toBe(1);

    const done2 = await recorder.wait(session.id, "streamComplete", (e) => e.data.promptIds.includes(second.promptId), { timeoutMs: 15_000 });
    const done1 = recorder.ofType(session.id, "streamComplete").find((e) => e.data.promptIds.includes(first.promptId))!;
    expect(done1.data).toMatchObject({ isError: false, result: "echo first" });
    expect(done2.data.result).toBe("echo second");
    expect(done1.seq).toBeLessThan(done2.seq);
    // The second turn started only after the first result.
    const secondStart = recorder.ofType(session.id, "sessionUpdate").filter((e) => e.data.reason === "turn-started")[1]!;
    expect(secondStart.seq).toBeGreaterThan(done1.seq);
    expect(secondStart.data.queueLength).toBe(0);
  });

  test("a full queue is SESSION_BUSY", async () => {
    const { manager } = start({ queueLimit: 2 });
    const session = await manager.create({ prompt: "slow" });
    expect(manager.send(session.id, { text: "a" }).queuePosition).toBe(1);
    expect(manager.send(session.id, { text: "b" }).queuePosition).toBe(2);
    expect(errorCode(() => manager.send(session.id, { text: "c" }))).toBe("SESSION_BUSY");
    await manager.interrupt(session.id);
  });

  test("interrupt mid-stream ends the turn, drops our queue, and the same process takes the next prompt", async () => {
    const { manager, recorder } = start();
    const session = await manager.create({ prompt: "slow" });
    await recorder.wait(session.id, "streamData", (e) => e.data.kind === "delta");
    const pid = session.process?.pid;
    const queued = manager.send(session.id, { text: "reply" });

    const { interrupted, droppedPromptIds } = await manager.interrupt(session.id);
    expect(interrupted).toBe(true);
    expect(droppedPromptIds).toEqual([queued.promptId]);
    const done = await recorder.wait(session.id, "streamComplete");
    expect(done.data).toMatchObject({ isError: true, terminalReason: "aborted_streaming" });
    const idle = await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    expect(idle.data.reason).toBe("interrupted");
    expect(recorder.ofType(session.id, "sessionUpdate").find((e) => e.data.droppedPromptIds)?.data.droppedPromptIds).toEqual([queued.promptId]);
    expect(recorder.ofType(session.id, "sessionError")).toEqual([]);

    const next = manager.send(session.id, { text: "reply" });
    const done2 = await recorder.wait(session.id, "streamComplete", (e) => e.data.promptIds.includes(next.promptId));
    expect(done2.data.isError).toBe(false);
    expect(session.process?.pid).toBe(pid);
  });
});

describe("crash and silence", () => {
  test("a crash reports CLAUDE_EXITED with exit code and stderr tail; the next prompt resumes in a new process", async () => {
    const { manager, recorder } = start();
    const session = await manager.create({ prompt: "crash" });
    const firstPid = session.process?.pid;
    const err = await recorder.wait(session.id, "sessionError");
    expect(err.data.code).toBe("CLAUDE_EXITED");
    expect(err.data.details).toMatchObject({ exitCode: 3 });
    expect(String(err.data.details.stderrTail)).toContain("simulated crash");
    const idle = await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    expect(idle.data.reason).toBe("claude-exited");
    expect(session.process).toBeUndefined();
    expect(session.info().process).toBeNull();
    // The cut turn still ends with exactly one streamComplete, naming why (issue 13).
    expect(recorder.ofType(session.id, "streamComplete").map((e) => e.data)).toEqual([
      { result: "Claude Code exited during the turn.", isError: true, subtype: "claude-exited", promptIds: [recorder.ofType(session.id, "userMessage")[0]!.data.promptId] },
    ]);

    // The failed prompt is not replayed; the new process resumes the conversation (the fake's "history").
    const next = manager.send(session.id, { text: "history" });
    const done = await recorder.wait(session.id, "streamComplete", (e) => e.data.promptIds.includes(next.promptId));
    expect(done.data.result).toBe("History (1): crash");
    expect(session.process?.pid).not.toBe(firstPid);
    expect(session.process?.options.resume).toBe(true);
    expect(recorder.ofType(session.id, "userMessage")).toHaveLength(2);
  });

  test("a crash before Claude took any message spawns again with --session-id, not --resume", async () => {
    const { manager, recorder, processes } = start();
    const session = await manager.create();
    await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    session.process!.kill(); // requested: no error event, but the process is gone
    await session.process?.exited;
    await vitestWaitFor(() => session.process === undefined);
    const next = manager.send(session.id, { text: "reply" });
    await recorder.wait(session.id, "streamComplete", (e) => e.data.promptIds.includes(next.promptId));
    expect(processes).toHaveLength(2);
    expect(processes[1]!.options.resume).toBe(false);
    expect(processes[1]!.sessionId).toBe(session.id);
  });

  test("CLAUDE_TIMEOUT: a silent turn is interrupted and the session goes idle with its process", async () => {
    const { manager, recorder } = start({ claudeTimeoutMs: 400 });
    const session = await manager.create({ prompt: "hang" });
    const pid = session.process?.pid;
    const err = await recorder.wait(session.id, "sessionError");
    expect(err.data).toMatchObject({ code: "CLAUDE_TIMEOUT", details: { timeoutMs: 400 } });
    const idle = await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    expect(idle.data.reason).toBe("claude-timeout");
    expect(session.process?.pid).toBe(pid);
    expect(session.process?.alive).toBe(true);
  });

  test("CLAUDE_TIMEOUT: a turn that ignores the interrupt is killed after the grace period", async () => {
    const { manager, recorder } = start({ claudeTimeoutMs: 300, timeoutKillGraceMs: 300, wrap: ignoringInterrupts });
    const session = await manager.create({ prompt: "hang" });
    const pid = session.process!.pid!;
    const queued = manager.send(session.id, { text: "reply" });
    await recorder.wait(session.id, "sessionError", (e) => e.data.code === "CLAUDE_TIMEOUT");
    const idle = await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    expect(idle.data.reason).toBe("claude-timeout");
    expect(isAlive(pid)).toBe(false);
    expect(session.process).toBeUndefined();
    expect(recorder.ofType(session.id, "sessionError").map((e) => e.data.code)).toEqual(["CLAUDE_TIMEOUT"]);
    expect(recorder.ofType(session.id, "sessionUpdate").some((e) => e.data.droppedPromptIds?.includes(queued.promptId))).toBe(true);
  });

  test("RESOURCE_LIMIT: a process over the memory limit is interrupted and stopped, once", async () => {
    const { manager, recorder } = start({ memoryLimitMb: 1, statsIntervalMs: 50 });
    const session = await manager.create({ prompt: "slow" });
    const pid = session.process!.pid!;
    const err = await recorder.wait(session.id, "sessionError", (e) => e.data.code === "RESOURCE_LIMIT");
    expect(err.data.details).toMatchObject({ limitMb: 1 });
    const idle = await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    expect(idle.data.reason).toBe("resource-limit");
    await vitestWaitFor(() => !isAlive(pid));
    expect(recorder.ofType(session.id, "sessionError").map((e) => e.data.code)).toEqual(["RESOURCE_LIMIT"]);
  });
});

describe("permissions", () => {
  test("allow writes the file; a second answer gets PERMISSION_NOT_PENDING", async () => {
    const { manager, recorder, cwd } = start();
    const session = await manager.create({ prompt: "permission allowed.txt" });
    const req = await recorder.wait(session.id, "permissionRequest");
    expect(req.data).toMatchObject({ kind: "tool", toolName: "Write", description: "allowed.txt" });
    expect(req.data.expiresAt).toBeGreaterThan(Date.now());
    expect(session.info().pendingPermissions.map((p) => p.permissionId)).toEqual([req.data.permissionId]);

    manager.answerPermission(session.id, req.data.permissionId, { decision: "allow" }, "phone-1");
    const second = (() => {
      try {
        manager.answerPermission(session.id, req.data.permissionId, { decision: "deny" }, "phone-2");
      } catch (e) {
        return e;
      }
    })();
    expect(isCompanionError(second) && second.code).toBe("PERMISSION_NOT_PENDING");
    expect(isCompanionError(second) && second.message).toContain("allowed by phone-1");
    expect(errorCode(() => manager.answerPermission(session.id, "nope", { decision: "allow" }))).toBe("PERMISSION_NOT_FOUND");

    const resolved = await recorder.wait(session.id, "permissionResolved");
    expect(resolved.data).toMatchObject({ permissionId: req.data.permissionId, decision: "allow", by: "client", client: "phone-1" });
    await recorder.wait(session.id, "streamComplete");
    expect(readFileSync(path.join(cwd, "allowed.txt"), "utf8")).toBe("hello from fake claude\n");
    const toolResult = recorder.ofType(session.id, "streamToolUse").find((e) => e.data.phase === "result")!;
    expect(toolResult.data).toMatchObject({ isError: false });
    expect(recorder.ofType(session.id, "permissionResolved")).toHaveLength(1);
  });

  test("deny does not write, and the denial reaches Claude", async () => {
    const { manager, recorder, cwd } = start();
    const session = await manager.create({ prompt: "permission denied.txt" });
    const req = await recorder.wait(session.id, "permissionRequest");
    manager.answerPermission(session.id, req.data.permissionId, { decision: "deny", message: "Not today" });
    const resolved = await recorder.wait(session.id, "permissionResolved");
    expect(resolved.data).toMatchObject({ decision: "deny", by: "client", message: "Not today" });
    await recorder.wait(session.id, "streamComplete");
    expect(existsSync(path.join(cwd, "denied.txt"))).toBe(false);
    const toolResult = recorder.ofType(session.id, "streamToolUse").find((e) => e.data.phase === "result")!;
    expect(toolResult.data).toMatchObject({ isError: true, content: "Not today" });
  });

  test("allowAlways sends the CLI's suggestion back: the mode changes and the next write does not ask", async () => {
    const { manager, recorder, cwd } = start();
    const session = await manager.create({ prompt: "permission one.txt" });
    const req = await recorder.wait(session.id, "permissionRequest");
    manager.answerPermission(session.id, req.data.permissionId, { decision: "allowAlways" });
    await recorder.wait(session.id, "sessionUpdate", (e) => e.data.reason === "permission-mode-changed" && e.data.permissionMode === "acceptEdits");
    const first = await recorder.wait(session.id, "streamComplete");
    const next = manager.send(session.id, { text: "permission two.txt" });
    await recorder.wait(session.id, "streamComplete", (e) => e.data.promptIds.includes(next.promptId), { afterSeq: first.seq });
    expect(existsSync(path.join(cwd, "two.txt"))).toBe(true);
    expect(recorder.ofType(session.id, "permissionRequest")).toHaveLength(1);
    expect(session.permissionMode).toBe("acceptEdits");
  });

  test("an unanswered permission is denied after the timeout and clients are told", async () => {
    const { manager, recorder, cwd } = start({ permissionTimeoutMs: 300 });
    const session = await manager.create({ prompt: "permission late.txt" });
    const req = await recorder.wait(session.id, "permissionRequest");
    const resolved = await recorder.wait(session.id, "permissionResolved");
    expect(resolved.data).toMatchObject({ permissionId: req.data.permissionId, decision: "deny", by: "timeout" });
    expect(resolved.data.message).toContain("timed out");
    await recorder.wait(session.id, "streamComplete");
    expect(existsSync(path.join(cwd, "late.txt"))).toBe(false);
    const toolResult = recorder.ofType(session.id, "streamToolUse").find((e) => e.data.phase === "result")!;
    expect(toolResult.data.phase === "result" && toolResult.data.content).toContain("timed out");
    expect(errorCode(() => manager.answerPermission(session.id, req.data.permissionId, { decision: "allow" }))).toBe("PERMISSION_NOT_PENDING");
  });

  test("a silent turn waiting on a permission answer is not a CLAUDE_TIMEOUT", async () => {
    const { manager, recorder } = start({ claudeTimeoutMs: 300, permissionTimeoutMs: 1200 });
    // Spawn first: a cold start may itself take longer than this short silence limit.
    const session = await manager.create();
    await recorder.wait(session.id, "sessionUpdate", (e) => e.data.state === "idle");
    manager.send(session.id, { text: "permission wait.txt" });
    await recorder.wait(session.id, "permissionRequest");
    // Claude is silent for the whole permission wait (over 3 silence periods) until our timeout answers it.
    const resolved = await recorder.wait(session.id, "permissionResolved");
    expect(resolved.data.by).toBe("timeout");
    const done = await recorder.wait(session.id, "streamComplete");
    expect(done.data.isError).toBe(false);
    expect(recorder.ofType(session.id, "sessionError")).toEqual([]);
  });

  test("AskUserQuestion arrives as kind question and the answers go back in updatedInput", async () => {
    const { manager, recorder } = start();
    const session = await manager.create({ prompt: "question" });
    const req = await recorder.wait(session.id, "permissionRequest");
    expect(req.data).toMatchObject({ kind: "question", toolName: "AskUserQuestion" });
    manager.answerPermission(session.id, req.data.permissionId, { decision: "allow", updatedInput: { answers: { "Which colour do you like?": "Blue" } } });
    const done = await recorder.wait(session.id, "streamComplete");
    expect(done.data.result).toBe("You chose Blue.");
  });

  test("interrupt while a permission is pending cancels it", async () => {
    const { manager, recorder } = start();
    const session = await manager.create({ prompt: "permission x.txt" });
    const req = await recorder.wait(session.id, "permissionRequest");
    await manager.interrupt(session.id);
    const resolved = await recorder.wait(session.id, "permissionResolved");
    expect(resolved.data).toMatchObject({ permissionId: req.data.permissionId, by: "cancelled" });
    const done = await recorder.wait(session.id, "streamComplete");
    expect(done.data.terminalReason).toBe("aborted_tools");
    expect(session.info().pendingPermissions).toEqual([]);
  });
});

async function vitestWaitFor(check: () => boolean): Promise<void> {
  await vi.waitFor(() => {
    if (!check()) throw new Error("not yet");
  });
}
