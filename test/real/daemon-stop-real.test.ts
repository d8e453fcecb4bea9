// The daemon in a child process with the real CLI: a kill -9 leaves no orphan working after the restart (#13),
// and a SIGTERM ends every process the sessions started (#21).
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { removeChildScript, startChildDaemon, type ChildDaemon } from "../hardening/child-daemon.js";
import { groupMembers, processesWith } from "../helpers/procs.js";

const LONG = 120_000;
const started: ChildDaemon[] = [];
let api: FakeAnthropicApi | undefined;
afterAll(async () => {
  await Promise.all(started.map((d) => d.stop().catch(() => undefined)));
  await api?.close();
  await removeChildScript();
  cleanupTempDirs();
});

/** Successive daemons on one config dir, driving the real CLI against one fake API. */
async function setup() {
  api ??= await startFakeAnthropicApi();
  const configDir = tempDir("cc-ds-config-");
  const workDir = tempDir("cc-ds-work-");
  const logDir = tempDir("cc-ds-logs-");
  const childEnv = realClaudeEnv(api, tempDir("cc-ds-cfg-")) as Record<string, string>;
  let n = 0;
  return async () => {
    const d = await startChildDaemon({
      configDir,
      workDir,
      logFile: join(logDir, `daemon-${++n}.log`),
      env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_PERMISSION_MODE: "bypassPermissions", CLAUDE_MAX_RETRIES: "0" },
      childEnv,
      sameUser: true,
    });
    started.push(d);
    return { d, workDir };
  };
}

const rest = async (d: ChildDaemon, method: string, path: string, body?: unknown) => {
  const res = await fetch(d.url + path, {
    method,
    headers: { authorization: `Bearer ${d.token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};

describe.skipIf(!realClaudeInstalled() || process.platform !== "linux")("the daemon stops what its sessions started (real CLI, child daemon)", () => {
  test("kill -9 during a Bash tool, restart, prompt the same session: the orphan and its group are gone within 5 s, f is never written, one Claude runs", async () => {
    const next = await setup();
    const { d, workDir } = await next();
    const f = join(workDir, `f-${randomUUID()}`);
    const toolStarted = Date.now();
    const start = await rest(d, "POST", "/api/stream/start", { prompt: `BASHRUN: sleep 20; echo x > ${f}` });
    expect(start.status).toBe(201);
    const sid = start.body.sessionId as string;
    const claudePid = await vi.waitFor(async () => {
      expect(processesWith(f).length).toBeGreaterThan(0); // the tool's shell runs
      const info = (await rest(d, "GET", `/api/sessions/${sid}`)).body;
      expect(info.process?.pid).toBeGreaterThan(0);
      return info.process.pid as number;
    }, { timeout: 60_000, interval: 200 });

    await d.kill();
    // The bug as it was: the orphan (ppid 1) and its tool keep running.
    expect(groupMembers(claudePid)).toContain(claudePid);

    const restartedAt = Date.now();
    const { d: d2 } = await next();
    await vi.waitFor(() => {
      expect(groupMembers(claudePid)).toEqual([]);
      expect(processesWith(f)).toEqual([]);
    }, { timeout: 5000, interval: 100 });
    expect(Date.now() - restartedAt).toBeLessThan(5000 + 3000); // 5 s after the restart's readiness, at most

    const sent = await rest(d2, "POST", `/api/stream/${sid}`, { prompt: "hello again" });
    expect(sent.status).toBe(202);
    await vi.waitFor(async () => expect((await rest(d2, "GET", `/api/sessions/${sid}`)).body).toMatchObject({ state: "idle", lastResult: { isError: false } }), { timeout: 60_000, interval: 300 });
    expect(processesWith(sid).length).toBe(1); // one Claude on this session id: the --resume one
    // Past the 20 s the orphan's tool needed: it never wrote f.
    await vi.waitFor(() => expect(Date.now() - toolStarted).toBeGreaterThan(23_000), { timeout: 30_000, interval: 500 });
    expect(existsSync(f)).toBe(false);
  }, LONG);

  test("the daemon's SIGTERM ends a background process of a session within 5 s", async () => {
    const next = await setup();
    const { d } = await next();
    const token = randomUUID();
    const start = await rest(d, "POST", "/api/stream/start", { prompt: `BASHRUN: sh -c 'sleep 1000; echo ${token}' & echo started` });
    expect(start.status).toBe(201);
    await vi.waitFor(() => expect(processesWith(token).length).toBeGreaterThan(0), { timeout: 60_000, interval: 200 });
    const stoppedAt = Date.now();
    await d.stop();
    await vi.waitFor(() => expect(processesWith(token)).toEqual([]), { timeout: 5000, interval: 100 });
    expect(Date.now() - stoppedAt).toBeLessThan(5000 + 5000);
  }, LONG);
});
