// Runaways (real CLI): a session's processes over CPU_LIMIT_PERCENT for a whole CPU_LIMIT_WINDOW get a warning
// naming the busiest process, or with CPU_LIMIT_ACTION=stop a RESOURCE_LIMIT error, the turn interrupted and the offender stopped.
import { randomUUID } from "node:crypto";
import { describe, expect, test, vi } from "vitest";
import { realClaudeInstalled } from "../helpers/fake-api.js";
import { processesWith } from "../helpers/procs.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";

const LONG = 120_000;
const d = useRealCliDaemon({ lazy: true, env: { CLAUDE_PERMISSION_MODE: "bypassPermissions" } }, { timeoutMs: LONG });
const { rest } = d;

// Low limit, short window: on two shared cores under load a busy loop gets 20-100 % of a core, far over 10 %.
// The window outlasts the CLI's own start-up burst (about 1-3 s of a core), which must not count as a runaway.
const start = (action: "warn" | "stop") => d.start({ env: { CPU_LIMIT_PERCENT: "10", CPU_LIMIT_WINDOW: "5000", CPU_LIMIT_ACTION: action } });
const events = async (sid: string) => (await rest("GET", `/api/sessions/${sid}/events?limit=5000`)).body.events as any[];

describe.skipIf(!realClaudeInstalled() || process.platform !== "linux")("CPU runaways (real CLI)", () => {
  test("CPU_LIMIT_ACTION=warn: a background busy loop gets a warning event naming its pid and command; it keeps running", async () => {
    await start("warn");
    const token = randomUUID();
    const sid = (await rest("POST", "/api/stream/start", { prompt: `BASHRUN: node -e 'for(;;){}' ${token} & echo started` })).body.sessionId as string;
    const warning = await vi.waitFor(async () => {
      const w = (await events(sid)).find((e) => e.type === "warning" && e.data.kind === "cpu" && e.data.processes.some((p: any) => p.command.includes(token)));
      expect(w).toBeDefined();
      return w;
    }, { timeout: 60_000, interval: 500 });
    const named = warning.data.processes.find((p: any) => p.command.includes(token));
    expect(processesWith(token)).toContain(named.pid);
    expect(named.cpu).toBeGreaterThan(10);
    expect(warning.data.message).toContain(`pid ${named.pid}`);
    expect((await events(sid)).filter((e) => e.type === "sessionError")).toEqual([]);
    expect(processesWith(token).length).toBeGreaterThan(0);
  }, LONG);

  test("CPU_LIMIT_ACTION=stop: a busy loop in a running Bash tool is stopped, the turn ends, RESOURCE_LIMIT says which and why", async () => {
    await start("stop");
    const token = randomUUID();
    const sid = (await rest("POST", "/api/stream/start", { prompt: `BASHRUN: node -e 'for(;;){}' ${token}` })).body.sessionId as string;
    await vi.waitFor(() => expect(processesWith(token).length).toBeGreaterThan(0), { timeout: 60_000, interval: 200 });
    const error = await vi.waitFor(async () => {
      const e = (await events(sid)).find((x) => x.type === "sessionError" && x.data.code === "RESOURCE_LIMIT");
      expect(e).toBeDefined();
      return e;
    }, { timeout: 60_000, interval: 500 });
    expect(error.data.details).toMatchObject({ kind: "cpu", limitPercent: 10, windowMs: 5000 });
    expect(error.data.details.processes[0].command).toContain(token);
    expect(error.data.message).toMatch(/CPU for 5 s, over the limit of 10%/);
    expect(error.data.message).toContain(token);
    await vi.waitFor(() => expect(processesWith(token)).toEqual([]), { timeout: 10_000, interval: 100 });
    await vi.waitFor(async () => expect((await rest("GET", `/api/sessions/${sid}`)).body.state).toBe("idle"), { timeout: 30_000, interval: 300 });
  }, LONG);
});
