// Background mode on the built bin: start -d / status / logs / stop, stale and reused pids, kill -9 mid-stream and resume, service files.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi } from "../helpers/fake-api.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { connectWs, type Frame, type TestWsClient } from "../helpers/ws-client.js";

const BIN = resolve(import.meta.dirname, "../../bin/claude-companion.js");
const FAKE_CLAUDE = resolve(import.meta.dirname, "../fixtures/fake-claude.mjs");
const started: { configDir: string; env: Record<string, string | undefined> }[] = [];

function cli(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function setup(extra: Record<string, string | undefined> = {}) {
  const configDir = tempDir("cc-bg-");
  const work = tempDir("cc-bg-work-");
  const env: Record<string, string | undefined> = {
    ...process.env,
    CLAUDE_COMPANION_CONFIG_DIR: configDir,
    CLAUDE_CLI_PATH: FAKE_CLAUDE,
    FAKE_CLAUDE_STATE_DIR: tempDir("cc-bg-fake-"),
    ENABLE_BONJOUR: "false",
    WARM_POOL: "0",
    NO_COLOR: "1",
    HOME: work,
    ...extra,
  };
  started.push({ configDir, env });
  return { configDir, env, work };
}

const stateOf = (configDir: string) => JSON.parse(readFileSync(join(configDir, "daemon.json"), "utf8")) as { pid: number; url: string };
const tokenOf = (env: Record<string, string | undefined>) => cli(["token"], env).stdout.trim();

afterEach(() => {
  for (const s of started.splice(0)) {
    if (existsSync(join(s.configDir, "daemon.json"))) {
      try {
        process.kill(stateOf(s.configDir).pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }
});
afterAll(cleanupTempDirs);

describe("background mode", () => {
  test("start -d -> status -> logs -> stop; a second start says it runs; stop when none runs exits 0", async () => {
    const { configDir, env } = setup();
    const s = cli(["start", "-d", "--host", "127.0.0.1", "--port", "0"], env);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/Listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(s.stdout).toMatch(/#pair=/);
    expect(s.stdout).toContain(join(configDir, "daemon.log"));
    const { url, pid } = stateOf(configDir);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const status = cli(["status", "--json"], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, pid, logPath: join(configDir, "daemon.log") });

    const again = cli(["start", "-d", "--host", "127.0.0.1", "--port", "0"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(url);

    const logs = cli(["logs", "-n", "5"], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/info\s+\[server\] request/);
    expect(readFileSync(join(configDir, "daemon.log"), "utf8")).not.toContain(tokenOf(env));

    const stop = cli(["stop"], env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain("stopped");
    expect(cli(["status"], env).code).toBe(3);
    const none = cli(["stop"], env);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("not running");
  }, 90_000);

  test("a daemon that cannot start (port taken): exit 1 with the last log lines", async () => {
    const { env } = setup();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    try {
      const port = String((blocker.address() as AddressInfo).port);
      const busy = cli(["start", "-d", "--host", "127.0.0.1", "--port", port], env);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/exited \(code 1\) before it was ready/);
      expect(busy.stderr).toContain("Last log lines");
    } finally {
      blocker.close();
    }
  }, 60_000);

  test("a stale state file (dead pid) or a pid reused by another program is cleaned up", () => {
    const { configDir, env } = setup();
    const base = { port: 1, host: "127.0.0.1", url: "http://127.0.0.1:1", version: "0.0.0", startedAt: 1, tls: false, fingerprint: null, logPath: null };
    writeFileSync(join(configDir, "daemon.json"), JSON.stringify({ ...base, pid: 2 ** 22 + 12345, procStart: "1" }));
    expect(cli(["status"], env).code).toBe(3);
    expect(existsSync(join(configDir, "daemon.json"))).toBe(false);
    // A live pid (this test runner) whose start time is not the recorded one: not our daemon.
    writeFileSync(join(configDir, "daemon.json"), JSON.stringify({ ...base, pid: process.pid, procStart: "1" }));
    expect(cli(["status"], env).code).toBe(3);
    expect(existsSync(join(configDir, "daemon.json"))).toBe(false);
  }, 60_000);
});

async function subscribeAll(url: string, token: string, sid: string, lastSeq: number): Promise<TestWsClient> {
  const c = await connectWs(url.replace(/^http/, "ws") + "/ws", { headers: { authorization: `Bearer ${token}` } });
  c.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq } });
  await c.next("replayComplete");
  return c;
}
const seqs = (frames: Frame[], sid: string) => frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");

describe("kill -9 of the daemon mid-stream", () => {
  test("restart with start -d: the client's transcript is complete exactly once and a new prompt continues the conversation", async () => {
    const { configDir, env } = setup();
    expect(cli(["start", "-d", "--host", "127.0.0.1", "--port", "0"], env).code).toBe(0);
    const token = tokenOf(env);
    let { url, pid } = stateOf(configDir);
    const c = await connectWs(url.replace(/^http/, "ws") + "/ws", { headers: { authorization: `Bearer ${token}` } });
    c.send({ type: "streamStart", requestId: "s", data: { prompt: "echo remember the cherry" } });
    const sid = (await c.next("streamStarted")).sessionId!;
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    c.send({ type: "streamSend", requestId: "r", sessionId: sid, data: { prompt: "rate 200 2000" } });
    await c.next((f) => f.type === "streamData" && f.sessionId === sid && f.data.kind === "delta" && /ts=/.test(f.data.text) && (f.seq ?? 0) > 150, 20_000);
    process.kill(pid, "SIGKILL");
    await c.closed;
    const before = seqs(c.frames, sid);

    expect(cli(["start", "-d", "--host", "127.0.0.1", "--port", "0"], env).code).toBe(0);
    ({ url, pid } = stateOf(configDir));
    const r = await subscribeAll(url, token, sid, before.at(-1)!.seq!);
    const after = seqs(r.frames, sid);
    const all = [...before, ...after].map((f) => f.seq);
    expect(all).toEqual(all.map((_, i) => i + 1));
    // What reached the client before the crash was on disk first: nothing it saw is missing after the restart.
    const log = ((await (await fetch(`${url}/api/sessions/${sid}/events?limit=5000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { events: Frame[] }).events;
    expect(log.length).toBeGreaterThanOrEqual(before.length);
    expect(log.slice(0, before.length).map((e) => e.seq)).toEqual(before.map((f) => f.seq));
    expect(after.some((f) => f.type === "sessionUpdate" && f.data.reason === "daemon-restarted")).toBe(true);

    r.send({ type: "streamSend", requestId: "h", sessionId: sid, data: { prompt: "history" } });
    const { promptId } = (await r.next((f) => f.type === "ack" && f.requestId === "h")).data;
    const done = await r.next((f) => f.type === "streamComplete" && f.data.promptIds.includes(promptId), 20_000);
    expect(done.data.result).toContain("remember the cherry");
    await r.close();
    expect(cli(["stop"], env).code).toBe(0);
  }, 120_000);

  test.skipIf(!realClaudeInstalled())("with the real CLI: after kill -9 and restart the fake API receives the earlier conversation", async () => {
    const api = await startFakeAnthropicApi();
    try {
      const { configDir, env } = setup({ ...realClaudeEnv(api, tempDir("cc-bg-claude-")), CLAUDE_CLI_PATH: REAL_CLAUDE, PATH: process.env.PATH });
      expect(cli(["start", "-d", "--host", "127.0.0.1", "--port", "0"], env).code).toBe(0);
      const token = tokenOf(env);
      let { url, pid } = stateOf(configDir);
      const c = await connectWs(url.replace(/^http/, "ws") + "/ws", { headers: { authorization: `Bearer ${token}` } });
      c.send({ type: "streamStart", requestId: "s", data: { prompt: "Remember the word kumquat" } });
      const sid = (await c.next("streamStarted")).sessionId!;
      await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, 60_000);
      process.kill(pid, "SIGKILL");
      await c.closed;
      expect(cli(["start", "-d", "--host", "127.0.0.1", "--port", "0"], env).code).toBe(0);
      ({ url, pid } = stateOf(configDir));
      const r = await subscribeAll(url, token, sid, seqs(c.frames, sid).at(-1)!.seq!);
      r.send({ type: "streamSend", requestId: "n", sessionId: sid, data: { prompt: "Which word?" } });
      await r.next((f) => f.type === "streamComplete" && f.sessionId === sid, 60_000);
      const last = api.messageRequests().at(-1)!;
      expect(JSON.stringify(last.messages)).toContain("kumquat");
      await r.close();
      expect(cli(["stop"], env).code).toBe(0);
    } finally {
      await api.close();
    }
  }, 120_000);
});

describe("service", () => {
  test("install writes a systemd user unit that runs start with the log file; uninstall removes it", () => {
    if (process.platform !== "linux") return;
    const { configDir, env, work } = setup();
    const install = cli(["service", "install"], env);
    expect(install.code, install.stderr).toBe(0);
    const unit = join(work, ".config/systemd/user/claude-companion.service");
    const text = readFileSync(unit, "utf8");
    expect(text).toContain(`ExecStart=${process.execPath} ${BIN} start --config-dir ${configDir} --log-file ${join(configDir, "daemon.log")}`);
    expect(text).toContain("Restart=on-failure");
    expect(text).toContain("WantedBy=default.target");
    expect(install.stdout).toMatch(/Enabled and started|systemctl --user enable --now claude-companion/);
    const status = cli(["service", "status"], env);
    expect(status.stdout).toContain("installed");
    expect(cli(["service", "uninstall"], env).code).toBe(0);
    expect(existsSync(unit)).toBe(false);
    expect(cli(["service", "bogus"], env).code).toBe(2);
  }, 60_000);
});
