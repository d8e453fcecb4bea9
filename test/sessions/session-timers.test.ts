// Session timers under fake timers and a scripted process: idle timeout and keep-alive, the silence watchdog, permission expiry.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createSilentLogger } from "../../src/log.js";
import type { SessionEvent } from "../../src/protocol/events.js";
import { Session } from "../../src/sessions/session.js";
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from "../../src/sessions/types.js";
import { resultEvent, scriptedStarter, type ScriptedProcess } from "../helpers/sessions-scripted-process.js";

const ID = "5b0e6c1a-9d2f-4e3b-8a7c-6d5e4f3a2b1c";

function makeSession(limits: Partial<SessionLimits>): { session: Session; events: SessionEvent[]; proc: () => ScriptedProcess } {
  const { startClaude, started } = scriptedStarter();
  const session = new Session({
    id: ID,
    workingDirectory: "/tmp",
    spawn: { cliPath: "claude", permissionMode: "default", allowedTools: [], skipPermissions: false, includePartialMessages: true, env: {}, maxRetries: 1 },
    resume: false,
    startClaude,
    logger: createSilentLogger(),
    now: () => Date.now(),
    limits: { ...DEFAULT_SESSION_LIMITS, statsIntervalMs: 0, ...limits },
  });
  const events: SessionEvent[] = [];
  session.log.subscribe((r) => events.push(r.event));
  return { session, events, proc: () => started.at(-1)! };
}

const states = (events: SessionEvent[]) => events.flatMap((e) => (e.type === "sessionUpdate" && e.data.previousState ? [`${e.data.state}:${e.data.reason}`] : []));

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("idle timeout", () => {
  test("keepAlive() refreshes the idle timer; idleness then closes the session and stops the process", async () => {
    const { session, events, proc } = makeSession({ sessionTimeoutMs: 1000 });
    session.start();
    await vi.advanceTimersByTimeAsync(800);
    session.keepAlive();
    await vi.advanceTimersByTimeAsync(800);
    expect(session.state).toBe("idle");
    await vi.advanceTimersByTimeAsync(250);
    expect(session.state).toBe("closed");
    expect(states(events)).toEqual(["idle:ready", "closed:idle-timeout"]);
    expect(proc().calls).toContain("stop");
  });

  test("a long turn is not idleness; the clock starts again when it ends", async () => {
    const { session, proc } = makeSession({ sessionTimeoutMs: 1000, claudeTimeoutMs: 0 });
    const { promptId } = session.start({ text: "work" })!;
    await vi.advanceTimersByTimeAsync(5000);
    expect(session.state).toBe("active");
    proc().emit(resultEvent(promptId));
    expect(session.state).toBe("idle");
    await vi.advanceTimersByTimeAsync(900);
    expect(session.state).toBe("idle");
    await vi.advanceTimersByTimeAsync(200);
    expect(session.state).toBe("closed");
  });
});

describe("silence watchdog", () => {
  test("output resets it; silence interrupts, then kills after the grace period; the session goes idle", async () => {
    const { session, events, proc } = makeSession({ claudeTimeoutMs: 1000, timeoutKillGraceMs: 3000 });
    session.start({ text: "work" });
    await vi.advanceTimersByTimeAsync(700);
    proc().emit({ kind: "textDelta", text: "a" });
    await vi.advanceTimersByTimeAsync(900);
    expect(events.some((e) => e.type === "sessionError")).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(events.filter((e) => e.type === "sessionError").map((e) => e.type === "sessionError" && e.data.code)).toEqual(["CLAUDE_TIMEOUT"]);
    expect(proc().calls.filter((c) => c === "interrupt")).toHaveLength(1);
    expect(proc().calls).not.toContain("kill");
    await vi.advanceTimersByTimeAsync(3000);
    expect(proc().calls).toContain("kill");
    expect(session.state).toBe("idle");
    expect(session.process).toBeUndefined();
    expect(states(events)).toEqual(["active:turn-started", "idle:claude-timeout"]);
  });

  test("a result within the grace period ends the turn without a kill", async () => {
    const { session, proc } = makeSession({ claudeTimeoutMs: 1000, timeoutKillGraceMs: 3000 });
    const { promptId } = session.start({ text: "work" })!;
    await vi.advanceTimersByTimeAsync(1100);
    proc().emit(resultEvent(promptId));
    await vi.advanceTimersByTimeAsync(5000);
    expect(proc().calls).not.toContain("kill");
    expect(session.state).toBe("idle");
    expect(session.process).toBe(proc());
  });
});

describe("permission expiry", () => {
  test("expiresAt comes from the clock; at expiry Claude gets a deny that says it timed out", async () => {
    const { session, events, proc } = makeSession({ permissionTimeoutMs: 60_000, claudeTimeoutMs: 1000 });
    session.start({ text: "work" });
    proc().emit({ kind: "permissionRequest", requestId: "r1", toolName: "Bash", input: { command: "ls" }, suggestions: [] });
    const req = events.find((e) => e.type === "permissionRequest");
    expect(req?.type === "permissionRequest" && req.data.expiresAt).toBe(Date.now() + 60_000);
    // The watchdog does not count the wait for an answer.
    await vi.advanceTimersByTimeAsync(59_000);
    expect(events.some((e) => e.type === "sessionError")).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(proc().answers).toEqual([{ behavior: "deny", message: expect.stringContaining("timed out") }]);
    const resolved = events.find((e) => e.type === "permissionResolved");
    expect(resolved?.type === "permissionResolved" && resolved.data).toMatchObject({ permissionId: "r1", by: "timeout", decision: "deny" });
    // From the answer on, silence counts again.
    await vi.advanceTimersByTimeAsync(1000);
    expect(events.filter((e) => e.type === "sessionError").map((e) => e.type === "sessionError" && e.data.code)).toEqual(["CLAUDE_TIMEOUT"]);
  });
});
