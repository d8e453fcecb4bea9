// A session owns its process tree (real CLI): what a Bash tool leaves running in the background is listed in the
// session's info and ends with the session: on close, and on the daemon's own shutdown.
import { randomUUID } from "node:crypto";
import { describe, expect, test, vi } from "vitest";
import { realClaudeInstalled } from "../helpers/fake-api.js";
import { processesWith } from "../helpers/procs.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";

const LONG = 90_000;
const d = useRealCliDaemon({ env: { CLAUDE_PERMISSION_MODE: "bypassPermissions", MAX_SESSIONS: "10" } }, { timeoutMs: LONG });
const { rest } = d;

/** Starts a session whose Bash tool runs `command` and waits for the turn to end. */
async function runInSession(command: string): Promise<string> {
  const started = await rest("POST", "/api/stream/start", { prompt: `BASHRUN: ${command}` });
  expect(started.status).toBe(201);
  const sid = started.body.sessionId as string;
  await vi.waitFor(async () => expect((await rest("GET", `/api/sessions/${sid}`)).body.lastResult).not.toBeNull(), { timeout: LONG, interval: 200 });
  return sid;
}

describe.skipIf(!realClaudeInstalled() || process.platform !== "linux")("a session owns its process tree (real CLI)", () => {
  test("a background `sleep 1000 &` is listed in the session's info, and closing the session ends it within 5 s", async () => {
    const token = randomUUID();
    // The CLI refuses a bare long `sleep` (it tells the model to use run_in_background), so the sleep runs in a shell.
    const sid = await runInSession(`sh -c 'sleep 1000; echo ${token}' & echo started`);
    expect(processesWith(token).length).toBeGreaterThan(0);
    const child = await vi.waitFor(async () => {
      const info = (await rest("GET", `/api/sessions/${sid}`)).body;
      const found = info.process?.children.find((c: { command: string }) => c.command.includes(token));
      expect(found).toBeDefined();
      return { info, found };
    }, { timeout: 30_000, interval: 500 });
    // The CLI runs each Bash command in a new kernel session, and the shell that ran it is gone: found by marker only.
    expect(child.found).toMatchObject({ detached: true });
    expect(child.info.process.processCount).toBeGreaterThanOrEqual(2);
    expect(child.info.process.treeRssBytes).toBeGreaterThan(child.info.process.rssBytes);

    const closedAt = Date.now();
    expect((await rest("DELETE", `/api/stream/${sid}`)).status).toBe(200);
    await vi.waitFor(() => expect(processesWith(token)).toEqual([]), { timeout: 5000, interval: 100 });
    expect(Date.now() - closedAt).toBeLessThan(5000);
  }, LONG);

  test("a background `node -e` busy loop shows its CPU in the session's info and ends with the session", async () => {
    const token = randomUUID();
    const sid = await runInSession(`node -e 'for(;;){}' ${token} & echo started`);
    await vi.waitFor(async () => {
      const info = (await rest("GET", `/api/sessions/${sid}`)).body;
      const busy = info.process?.children.find((c: { command: string }) => c.command.includes(token));
      // A busy loop would take a core; two shared cores under load give it less, but far more than a sleeping process.
      expect(busy?.cpu).toBeGreaterThan(10);
      expect(info.process.treeCpu).toBeGreaterThanOrEqual(busy.cpu);
    }, { timeout: 30_000, interval: 500 });
    expect((await rest("DELETE", `/api/stream/${sid}`)).status).toBe(200);
    await vi.waitFor(() => expect(processesWith(token)).toEqual([]), { timeout: 5000, interval: 100 });
  }, LONG);

  test("the processes route lists a session's background processes and stops one; a pid outside the tree is refused", async () => {
    const token = randomUUID();
    const sid = await runInSession(`sh -c 'sleep 1000; echo ${token}' & echo started`);
    const list = (await rest("GET", `/api/sessions/${sid}/processes`)).body;
    expect(list.tracked).toBe(true);
    const shell = list.processes.find((p: { command: string }) => p.command.includes(token));
    expect(shell).toMatchObject({ detached: true });
    const claudePid = (await rest("GET", `/api/sessions/${sid}`)).body.process.pid as number;
    expect(list.processes.map((p: { pid: number }) => p.pid)).not.toContain(claudePid);

    for (const outside of [process.pid, claudePid, 1]) {
      const refused = await rest("DELETE", `/api/sessions/${sid}/processes/${outside}`);
      expect(refused).toMatchObject({ status: 404, body: { data: { code: "PROCESS_NOT_IN_SESSION" } } });
    }
    expect((await rest("DELETE", `/api/sessions/${sid}/processes/abc`)).status).toBe(400);
    expect(processesWith(token).length).toBeGreaterThan(0);

    const stopped = await rest("DELETE", `/api/sessions/${sid}/processes/${shell.pid}`);
    expect(stopped).toMatchObject({ status: 200, body: { stopped: true, pid: shell.pid } });
    expect(stopped.body.terminated).toBeGreaterThanOrEqual(2); // the shell and its sleep
    await vi.waitFor(() => expect(processesWith(token)).toEqual([]), { timeout: 5000, interval: 100 });
    expect((await rest("GET", `/api/sessions/${sid}`)).body.state).toBe("idle");
    expect((await rest("GET", `/api/sessions/${sid}/processes`)).body.processes).toEqual([]);
    await rest("DELETE", `/api/stream/${sid}`);
  }, LONG);
});
