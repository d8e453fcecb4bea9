// The session manager against the fake CLI: limits, idle timeout, warm pool, ask, resume, shutdown without orphans.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { isCompanionError } from "../../src/protocol/errors.js";
import { childPids, isAlive } from "../helpers/claude-events.js";
import { startTestManager, type TestManager } from "../helpers/sessions-harness.js";

let h: TestManager | undefined;
const start = (options?: Parameters<typeof startTestManager>[0]): TestManager => (h = startTestManager(options));
afterEach(async () => {
  expect(h?.recorder.invalid ?? []).toEqual([]);
  await h?.close();
  h = undefined;
});

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    return isCompanionError(e) ? e.code : String(e);
  }
  return undefined;
}

describe("registry and limits", () => {
  test("MAX_SESSIONS: one more is TOO_MANY_SESSIONS until a session closes", async () => {
    const { manager } = start({ maxSessions: 2 });
    const a = await manager.create();
    await manager.create();
    expect(await codeOf(manager.create())).toBe("TOO_MANY_SESSIONS");
    expect(manager.counts()).toEqual({ active: 2, max: 2 });
    await manager.closeSession(a.id);
    expect(a.state).toBe("closed");
    expect(manager.counts()).toEqual({ active: 1, max: 2 });
    const c = await manager.create();
    expect(manager.list().map((s) => s.id)).toEqual([expect.any(String), c.id, a.id]);
  });

  test("a directory that vanished or left the roots refuses prompts with FORBIDDEN_PATH before anything is spawned", async () => {
    const { manager, cwd, processes } = start({ allowedRoots: [] });
    const sub = path.join(cwd, "sub");
    mkdirSync(sub);
    // Outside every root (none here) but the default directory: refused, the default itself is allowed.
    expect(await codeOf(manager.create({ workingDirectory: sub }))).toBe("FORBIDDEN_PATH");
    expect(await codeOf(manager.create({ workingDirectory: path.join(cwd, "missing") }))).toBe("FORBIDDEN_PATH");
    const s = await manager.create();
    await h!.recorder.wait(s.id, "sessionUpdate", (e) => e.data.reason === "ready");
    await manager.closeSession(s.id);
    const gone = mkdtempSync(path.join(cwd, "gone-"));
    const h2 = startTestManager({ defaults: { cwd: gone } });
    try {
      const t = await h2.manager.create();
      rmSync(gone, { recursive: true });
      expect(await codeOf(() => h2.manager.send(t.id, { text: "hi" }))).toBe("FORBIDDEN_PATH");
      expect(h2.recorder.ofType(t.id, "userMessage")).toEqual([]);
    } finally {
      await h2.close();
    }
    expect(processes.length).toBe(1);
  });

  test("resume: an id neither ours nor a transcript is SESSION_NOT_FOUND; a closed one keeps its directory", async () => {
    const { manager, cwd } = start({ transcriptExists: () => false });
    expect(await codeOf(manager.create({ resume: "6b6d5433-a4a0-4569-9d64-3a9723039559" }))).toBe("SESSION_NOT_FOUND");
    expect(manager.counts().active).toBe(0);
    const sub = path.join(cwd, "own");
    mkdirSync(sub);
    const s = await manager.create({ workingDirectory: sub });
    await manager.closeSession(s.id);
    const resumed = await manager.create({ resume: s.id });
    expect(resumed.workingDirectory).toBe(sub);
  });

  test("unknown ids, closed sessions, a missing directory and a bad resume id are errors with codes", async () => {
    const { manager, cwd } = start();
    expect(await codeOf(() => manager.get("nope"))).toBe("SESSION_NOT_FOUND");
    // One working-directory check with one code, the documented one (PROTOCOL.md: FORBIDDEN_PATH).
    expect(await codeOf(manager.create({ workingDirectory: path.join(cwd, "missing") }))).toBe("FORBIDDEN_PATH");
    expect(await codeOf(manager.create({ resume: "not-a-uuid" }))).toBe("BAD_REQUEST");
    const s = await manager.create();
    await manager.closeSession(s.id);
    expect(await codeOf(() => manager.send(s.id, { text: "hi" }))).toBe("SESSION_CLOSED");
    expect(await codeOf(manager.interrupt(s.id))).toBe("SESSION_CLOSED");
    await manager.closeSession(s.id); // idempotent
  });

  test("a missing CLI gives CLAUDE_UNAVAILABLE on the session and the session stays usable", async () => {
    const { manager, recorder, cwd } = start({ defaults: { cliPath: path.join("/nonexistent", "claude") } });
    const s = await manager.create({ prompt: "reply" });
    const err = await recorder.wait(s.id, "sessionError");
    expect(err.data.code).toBe("CLAUDE_UNAVAILABLE");
    await recorder.wait(s.id, "sessionUpdate", (e) => e.data.state === "idle");
    expect(recorder.ofType(s.id, "sessionError")).toHaveLength(1);
    expect(s.state).toBe("idle");
    expect(cwd).toBeTruthy();
  });

  test("setPermissionMode and setModel reach the live process and are announced", async () => {
    const { manager, recorder, cwd } = start();
    const s = await manager.create();
    await recorder.wait(s.id, "sessionUpdate", (e) => e.data.state === "idle");
    await manager.setPermissionMode(s.id, "acceptEdits");
    await manager.setModel(s.id, "claude-other");
    expect(recorder.ofType(s.id, "sessionUpdate").map((e) => e.data.reason)).toContain("permission-mode-changed");
    const last = recorder.ofType(s.id, "sessionUpdate").at(-1)!;
    expect(last.data).toMatchObject({ reason: "model-changed", model: "claude-other", permissionMode: "acceptEdits" });
    // acceptEdits: the write goes through without a prompt.
    const { promptId } = manager.send(s.id, { text: "permission direct.txt" });
    await recorder.wait(s.id, "streamComplete", (e) => e.data.promptIds.includes(promptId));
    expect(recorder.ofType(s.id, "permissionRequest")).toEqual([]);
    expect(s.info()).toMatchObject({ permissionMode: "acceptEdits", model: "claude-other" });
    expect(cwd).toBeTruthy();
  });
});

describe("persistence hook", () => {
  test("persist sees every record of every session before the event listeners do", async () => {
    const order: string[] = [];
    const { manager, recorder } = start({ persist: (r) => order.push(`persist:${r.event.sessionId}:${r.event.seq}`) });
    manager.onEvent((r) => order.push(`listener:${r.event.sessionId}:${r.event.seq}`));
    const s = await manager.create({ prompt: "reply" });
    await recorder.wait(s.id, "streamComplete");
    const persisted = order.filter((o) => o.startsWith("persist:"));
    expect(persisted.length).toBe(recorder.of(s.id).length);
    for (let i = 0; i < persisted.length; i++) {
      expect(order.indexOf(persisted[i]!)).toBeLessThan(order.indexOf(persisted[i]!.replace("persist:", "listener:")));
    }
  });
});

describe("idle timeout", () => {
  test("idleness closes the session and stops its process", async () => {
    const { manager, recorder } = start({ sessionTimeoutMs: 300 });
    const s = await manager.create({ prompt: "reply" });
    await recorder.wait(s.id, "streamComplete");
    const pid = s.process!.pid!;
    const closed = await recorder.wait(s.id, "sessionUpdate", (e) => e.data.state === "closed");
    expect(closed.data).toMatchObject({ previousState: "idle", reason: "idle-timeout" });
    await vi.waitFor(() => expect(isAlive(pid)).toBe(false));
    expect(manager.counts().active).toBe(0);
  });

  test("a closed session resumes under its id with its seq numbers continuing", async () => {
    const { manager, recorder, processes } = start();
    const s = await manager.create({ prompt: "remember banana" });
    await recorder.wait(s.id, "streamComplete");
    await manager.closeSession(s.id);
    const lastSeq = recorder.lastSeq(s.id);

    const resumed = await manager.create({ resume: s.id, prompt: "history" });
    expect(resumed.id).toBe(s.id);
    expect(resumed).not.toBe(s);
    const done = await recorder.wait(s.id, "streamComplete", () => true, { afterSeq: lastSeq });
    expect(done.data.result).toBe("History (1): remember banana");
    const events = recorder.of(s.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(processes.at(-1)!.options.resume).toBe(true);
    expect(manager.get(s.id)).toBe(resumed);
  });
});

describe("warm pool", () => {
  test("a default session takes a ready spare (faster first output) and the pool refills", async () => {
    const { manager, recorder, cwd } = start({ warmPool: 1 });
    await vi.waitFor(() => expect(manager.poolStatus()).toMatchObject({ spares: 1, ready: 1 }), { timeout: 10_000 });
    const sparePids = childPids();

    const firstOutput = async (create: () => Promise<{ id: string }>): Promise<{ ms: number; id: string }> => {
      const t0 = performance.now();
      const s = await create();
      await recorder.wait(s.id, "streamData");
      return { ms: performance.now() - t0, id: s.id };
    };
    const warm = await firstOutput(() => manager.create({ prompt: "reply" }));
    const warmSession = manager.get(warm.id);
    expect(sparePids).toContain(warmSession.process!.pid);
    expect(warmSession.process!.sessionId).toBe(warm.id);
    await vi.waitFor(() => expect(manager.poolStatus()).toMatchObject({ spares: 1, ready: 1 }), { timeout: 10_000 });

    // Another directory does not match the pool: a cold spawn.
    const other = path.join(cwd, "sub");
    await import("node:fs/promises").then((fs) => fs.mkdir(other));
    const cold = await firstOutput(() => manager.create({ workingDirectory: other, prompt: "reply" }));
    expect(manager.get(cold.id).process!.pid).not.toBeUndefined();
    expect(sparePids).not.toContain(manager.get(cold.id).process!.pid);
    expect(warm.ms).toBeLessThan(cold.ms);
    expect(manager.counts().active).toBe(2); // spares count against nothing
  });

  test("a spare that dies is replaced, and a missing CLI is retried with backoff, not in a loop", async () => {
    const { manager, processes } = start({ warmPool: 1, warmPoolRetryMs: 200 });
    await vi.waitFor(() => expect(manager.poolStatus().ready).toBe(1), { timeout: 10_000 });
    processes[0]!.kill();
    await processes[0]!.exited;
    expect(manager.poolStatus().ready).toBe(0);
    await vi.waitFor(() => expect(manager.poolStatus().ready).toBe(1), { timeout: 10_000 });
    expect(processes).toHaveLength(2);

    await h!.close();
    const broken = start({ warmPool: 1, warmPoolRetryMs: 100, defaults: { cliPath: "/nonexistent/claude" } });
    // 100 + 200 + 400 ms of backoff: about 3–4 attempts within ~700 ms, not hundreds.
    await vi.waitFor(() => expect(broken.processes.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    expect(broken.processes.length).toBeLessThan(6);
  });
});

describe("ask", () => {
  test("returns the result and closes its session", async () => {
    const { manager } = start();
    const result = await manager.ask({ prompt: "reply" }, { timeoutMs: 10_000 });
    expect(result).toMatchObject({ result: "Hello from fake Claude.", isError: false });
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.usage?.output_tokens).toBe(5);
    await vi.waitFor(() => expect(manager.get(result.sessionId).state).toBe("closed"));
    expect(manager.counts().active).toBe(0);
  });

  test("relays its permission prompts like any other session", async () => {
    const { manager, recorder } = start();
    const pending = manager.ask({ prompt: "permission asked.txt" }, { timeoutMs: 10_000 });
    const req = await vi.waitFor(() => {
      const r = recorder.events.find((e) => e.type === "permissionRequest");
      if (!r) throw new Error("no permission request yet");
      return r;
    });
    manager.answerPermission(req.sessionId, req.type === "permissionRequest" ? req.data.permissionId : "", { decision: "allow" });
    const result = await pending;
    expect(result).toMatchObject({ result: "Done with tool.", isError: false, sessionId: req.sessionId });
  });

  test("a crash rejects with CLAUDE_EXITED and a slow ask with ASK_TIMEOUT", async () => {
    const { manager } = start();
    expect(await codeOf(manager.ask({ prompt: "crash" }, { timeoutMs: 10_000 }))).toBe("CLAUDE_EXITED");
    expect(await codeOf(manager.ask({ prompt: "hang" }, { timeoutMs: 300 }))).toBe("ASK_TIMEOUT");
    await vi.waitFor(() => expect(manager.counts().active).toBe(0));
  });
});

describe("shutdown", () => {
  test("close() stops every process (pool included) in parallel and leaves no child; it is idempotent", async () => {
    const before = childPids().length;
    const { manager, recorder } = start({ warmPool: 1 });
    const a = await manager.create({ prompt: "slow" });
    const b = await manager.create({ prompt: "permission never.txt" });
    await recorder.wait(a.id, "streamData");
    await recorder.wait(b.id, "permissionRequest");
    await vi.waitFor(() => expect(manager.poolStatus().spares).toBe(1), { timeout: 5000 });
    expect(childPids().length).toBeGreaterThanOrEqual(before + 3);

    const t0 = performance.now();
    await Promise.all([manager.close(), manager.close()]);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(childPids()).toEqual([]);
    expect(a.state).toBe("closed");
    expect(recorder.ofType(b.id, "permissionResolved")[0]?.data.by).toBe("shutdown");
    expect(recorder.ofType(a.id, "sessionUpdate").at(-1)?.data).toMatchObject({ state: "closed", reason: "shutdown" });
    expect(await codeOf(manager.create())).toBe("SHUTTING_DOWN");
  });
});
