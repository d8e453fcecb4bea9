// Every turn ends with exactly one streamComplete, also when Claude's result never comes (issue 13): one scenario list,
// run against the fake CLI and the real Claude Code CLI (offline, fake Messages API).
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSilentLogger } from "../../src/log.js";
import { createSessionStore } from "../../src/sessions/index.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { startTestManager, type TestManager, type TestManagerOptions } from "../helpers/sessions-harness.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

interface Cli {
  name: string;
  available: boolean;
  /** A prompt whose turn streams for several seconds. */
  slow: string;
  /** A prompt that asks for a Write permission (of a file outside the session's directory). */
  permission: (outside: string) => string;
  options: () => TestManagerOptions;
}

let api: FakeAnthropicApi | undefined;
const CLIS: Cli[] = [
  { name: "fake CLI", available: true, slow: "slow", permission: (f) => `permission ${f}`, options: () => ({}) },
  {
    name: "real CLI",
    available: realClaudeInstalled(),
    slow: "please be SLOW",
    permission: (f) => `WRITEFILE ${f}`,
    options: () => ({ claudeTimeoutMs: 60_000, defaults: { cliPath: REAL_CLAUDE, env: realClaudeEnv(api!, tempDir("cc-turn-end-cfg-")), maxRetries: 0 } }),
  },
];

beforeAll(async () => {
  api = await startFakeAnthropicApi({ slowCount: 200, slowDelayMs: 50 });
});
afterAll(async () => {
  await api?.close();
  cleanupTempDirs();
});

const WAIT = { timeoutMs: 30_000 };

describe.each(CLIS)("$name: a cut turn still ends with one streamComplete", (cli) => {
  const managers: TestManager[] = [];
  const start = (extra: TestManagerOptions = {}) => {
    const h = startTestManager({ ...cli.options(), ...extra, defaults: { ...cli.options().defaults, ...extra.defaults } });
    managers.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of managers.splice(0)) {
      expect(h.recorder.invalid).toEqual([]);
      await h.close();
    }
  });

  /** The streamCompletes of a session, once it is idle (or closed) again after `promptId`'s turn. */
  async function completesAfter(h: TestManager, sid: string) {
    await h.recorder.wait(sid, "sessionUpdate", (e) => e.data.previousState === "active" && e.data.state !== "active", WAIT);
    return h.recorder.ofType(sid, "streamComplete").map((e) => e.data);
  }

  test.skipIf(!cli.available)("Claude killed mid-turn (kill -9): subtype claude-exited, after the CLAUDE_EXITED error", async () => {
    const h = start();
    const s = await h.manager.create({ prompt: cli.slow });
    await h.recorder.wait(s.id, "streamData", (e) => e.data.kind === "delta", WAIT);
    process.kill(s.process!.pid!, "SIGKILL");
    const completes = await completesAfter(h, s.id);
    const promptId = h.recorder.ofType(s.id, "userMessage")[0]!.data.promptId;
    expect(completes).toEqual([{ result: "Claude Code exited during the turn.", isError: true, subtype: "claude-exited", promptIds: [promptId] }]);
    const types = h.recorder.of(s.id).map((e) => e.type);
    expect(types.indexOf("sessionError")).toBeLessThan(types.indexOf("streamComplete"));
    expect(s.info().lastResult).toMatchObject({ subtype: "claude-exited" });
  }, 60_000);

  test.skipIf(!cli.available)("the session closed mid-turn: subtype closed; the daemon stopping mid-turn: subtype daemon-shutdown", async () => {
    const h = start();
    const s = await h.manager.create({ prompt: cli.slow });
    await h.recorder.wait(s.id, "streamData", (e) => e.data.kind === "delta", WAIT);
    await h.manager.closeSession(s.id);
    expect(h.recorder.ofType(s.id, "streamComplete").map((e) => e.data.subtype)).toEqual(["closed"]);

    const other = start();
    const t = await other.manager.create({ prompt: cli.slow });
    await other.recorder.wait(t.id, "streamData", (e) => e.data.kind === "delta", WAIT);
    await other.manager.suspendAll();
    expect(other.recorder.ofType(t.id, "streamComplete").map((e) => e.data)).toEqual([
      expect.objectContaining({ isError: true, subtype: "daemon-shutdown" }),
    ]);
  }, 60_000);

  test.skipIf(!cli.available)("a permission answer that cannot be written to Claude ends the turn with CLAUDE_WRITE_FAILED, never hangs", async () => {
    const h = start();
    const outside = path.join(mkdtempSync(path.join(os.tmpdir(), "cc-turn-end-out-")), "x.txt");
    const s = await h.manager.create({ prompt: cli.permission(outside) });
    const request = await h.recorder.wait(s.id, "permissionRequest", () => true, WAIT);
    // 100 000 levels: JSON.stringify overflows the stack when the answer is written.
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const began = Date.now();
    h.manager.answerPermission(s.id, request.data.permissionId, { decision: "allow", updatedInput: deep });
    const completes = await completesAfter(h, s.id);
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(completes.map((c) => c.subtype)).toEqual(["write-failed"]);
    expect(h.recorder.ofType(s.id, "sessionError").map((e) => e.data.code)).toContain("CLAUDE_WRITE_FAILED");
    // The session is usable: the next prompt gets Claude's own result.
    const afterSeq = h.recorder.lastSeq(s.id);
    h.manager.send(s.id, { text: "hello again" });
    const done = await h.recorder.wait(s.id, "streamComplete", () => true, { ...WAIT, afterSeq });
    expect(done.data.isError).toBe(false);
    expect(h.recorder.ofType(s.id, "streamComplete")).toHaveLength(2);
  }, 90_000);

  test.skipIf(!cli.available)("the daemon died mid-turn (restart on its files): the restored session reports the turn with subtype daemon-restarted", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cc-turn-end-store-"));
    const logger = createSilentLogger();
    const a = start({ store: createSessionStore({ dir, logger }) });
    const s = await a.manager.create({ prompt: cli.slow });
    await a.recorder.wait(s.id, "streamData", (e) => e.data.kind === "delta", WAIT);
    // A second manager reads the same files while the first is still mid-turn: as after a kill -9.
    const b = start({ store: createSessionStore({ dir: dir, logger }) });
    const restored = b.recorder;
    expect(b.manager.get(s.id).state).toBe("idle");
    const promptId = a.recorder.ofType(s.id, "userMessage")[0]!.data.promptId;
    const fromDisk = b.manager.get(s.id).log.after(0).records.map((r) => r.event);
    const completes = fromDisk.filter((e) => e.type === "streamComplete").map((e) => e.data);
    expect(completes).toEqual([expect.objectContaining({ isError: true, subtype: "daemon-restarted", promptIds: [promptId] })]);
    expect(restored.invalid).toEqual([]);
  }, 60_000);
});
