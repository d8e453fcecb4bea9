// Issue 17 defect 5 against the real Claude Code CLI 2.1.332 (offline, fake Messages API): a session whose Claude refuses to start twice the same way "cannot start", with the CLI's own reason; the fix and a prompt clear it.
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { childPids } from "../helpers/claude-events.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { startTestManager, type TestManager } from "../helpers/sessions-harness.js";
import { tempDir, cleanupTempDirs } from "../helpers/tmp.js";

let api: FakeAnthropicApi;
let h: TestManager;
let configDir: string;
let childrenBefore: number[] = [];

const ROOT_REFUSAL = "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons";
const isRoot = process.getuid?.() === 0;

/** The first start-failure CLAUDE_EXITED after `afterSeq`, then the session idle again. */
async function failedStart(sid: string, afterSeq: number) {
  const err = await h.recorder.wait(sid, "sessionError", (e) => e.data.code === "CLAUDE_EXITED", { afterSeq, timeoutMs: 30_000 });
  const update = await h.recorder.wait(sid, "sessionUpdate", (e) => e.data.state === "idle", { afterSeq: err.seq, timeoutMs: 30_000 });
  return { err, update };
}

describe.skipIf(!realClaudeInstalled())("cannot start, with the real Claude Code CLI", () => {
  beforeAll(async () => {
    childrenBefore = childPids();
    api = await startFakeAnthropicApi();
    configDir = tempDir("cc-real-cannot-");
    // Without IS_SANDBOX: as root the CLI then refuses bypass mode (what the daemon's own children see unless the user sets it).
    const { IS_SANDBOX: _sandbox, ...env } = realClaudeEnv(api, configDir);
    h = startTestManager({ claudeTimeoutMs: 60_000, defaults: { cliPath: REAL_CLAUDE, env, maxRetries: 1 } });
  });

  afterAll(async () => {
    expect(h?.recorder.invalid ?? []).toEqual([]);
    await h?.close();
    await api?.close();
    cleanupTempDirs();
    expect(childPids().filter((pid) => !childrenBefore.includes(pid))).toEqual([]);
  });

  test.runIf(isRoot)("as root, bypass mode is refused twice: cannotStart with the CLI's line; another mode and a prompt clear it", async () => {
    const { manager, recorder } = h;
    const s = await manager.create({ permissionMode: "bypassPermissions" });
    // The new session's process is refused at once: one start failure, not yet "cannot start".
    const first = await failedStart(s.id, 0);
    expect(first.err.data.details).toMatchObject({ exitCode: 1, beforeInit: true });
    expect(String(first.err.data.details.stderrTail)).toContain(ROOT_REFUSAL);
    expect(s.info().cannotStart).toBeUndefined();

    manager.send(s.id, { text: "hello" });
    const second = await failedStart(s.id, first.update.seq);
    expect(second.update.data.cannotStart).toMatchObject({ reason: ROOT_REFUSAL, exitCode: 1, attempts: 2 });
    expect(s.info()).toMatchObject({ state: "idle", cannotStart: { reason: ROOT_REFUSAL, attempts: 2 } });

    // What the phone's advice says: another mode; the next prompt tries again and Claude answers.
    await manager.setPermissionMode(s.id, "default");
    const { promptId } = manager.send(s.id, { text: "hello again" });
    const done = await recorder.wait(s.id, "streamComplete", (e) => e.data.promptIds.includes(promptId), { afterSeq: second.update.seq, timeoutMs: 30_000 });
    expect(done.data).toMatchObject({ isError: false, result: "Hello from fake API." });
    const idle = await recorder.wait(s.id, "sessionUpdate", (e) => e.data.state === "idle", { afterSeq: done.seq });
    expect(idle.data.cannotStart).toBeUndefined();
    expect(s.info().cannotStart).toBeUndefined();
    await manager.closeSession(s.id);
  }, 120_000);

  test("a --resume whose transcript is gone fails twice with 'No conversation found': cannotStart", async () => {
    const { manager, recorder } = h;
    const s = await manager.create({ prompt: "hello there" });
    const done = await recorder.wait(s.id, "streamComplete", () => true, { timeoutMs: 30_000 });
    expect(done.data.isError).toBe(false);
    // Claude's transcript is deleted and its process goes: every next process is a --resume of a conversation it cannot find.
    const projects = path.join(configDir, "projects");
    const transcript = readdirSync(projects, { recursive: true, encoding: "utf8" }).find((f) => f.endsWith(`${s.id}.jsonl`));
    expect(transcript).toBeDefined();
    rmSync(path.join(projects, transcript!));
    process.kill(s.process!.pid!, "SIGKILL");
    // That process had taken a prompt: a crash (of an idle process: no sessionUpdate), not a start failure.
    const crash = await recorder.wait(s.id, "sessionError", (e) => e.data.code === "CLAUDE_EXITED", { afterSeq: done.seq, timeoutMs: 30_000 });
    expect(crash.data.details).toMatchObject({ signal: "SIGKILL", beforeInit: false });
    await vi.waitFor(() => expect(s.process).toBeUndefined());

    // The CLI answers such a --resume with an error result (the turn ends) and then exits 1: the exit comes after the turn.
    manager.send(s.id, { text: "are you there?" });
    const first = await recorder.wait(s.id, "sessionError", (e) => e.data.code === "CLAUDE_EXITED", { afterSeq: crash.seq, timeoutMs: 30_000 });
    expect(first.data.details).toMatchObject({ exitCode: 1, beforeInit: true });
    expect(String(first.data.details.stderrTail)).toContain(`No conversation found with session ID: ${s.id}`);
    expect(s.info().cannotStart).toBeUndefined();
    await vi.waitFor(() => expect(s.process).toBeUndefined());
    manager.send(s.id, { text: "are you there now?" });
    // Outside a turn, the change is its own sessionUpdate (reason cannot-start).
    const update = await recorder.wait(s.id, "sessionUpdate", (e) => e.data.reason === "cannot-start", { afterSeq: first.seq, timeoutMs: 30_000 });
    const expected = { reason: `No conversation found with session ID: ${s.id}`, exitCode: 1, attempts: 2 };
    expect(update.data).toMatchObject({ state: "idle", cannotStart: expected });
    expect(s.info().cannotStart).toMatchObject(expected);
    await manager.closeSession(s.id);
  }, 120_000);
});
