// The built bin end to end: start -> readiness line -> /health -> token -> status -> SIGTERM -> exit 0.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { FAKE_CLAUDE, runCli, startCli } from "../helpers/cli-process.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { connectWs } from "../helpers/ws-client.js";

beforeAll(() => {
  expect(existsSync(join(import.meta.dirname, "../../dist/cli.js")), "run `npm run build` first").toBe(true);
});
afterAll(cleanupTempDirs);

describe("claude-companion CLI", () => {
  let configDir: string;
  let env: Record<string, string>;
  let proc: ReturnType<typeof startCli> | undefined;
  beforeAll(() => {
    configDir = tempDir("cc-cli-");
    env = { CLAUDE_COMPANION_CONFIG_DIR: configDir, CLAUDE_CLI_PATH: FAKE_CLAUDE, ENABLE_BONJOUR: "false", WARM_POOL: "0", NO_COLOR: "1" };
  });
  afterEach(() => {
    if (proc && proc.child.exitCode === null) proc.child.kill("SIGKILL");
  });

  test("--help lists the commands with examples; --version prints the version", () => {
    const help = runCli(["--help"], env);
    expect(help.code).toBe(0);
    for (const c of ["start", "token", "status", "pair", "stop", "Examples:"]) expect(help.stdout).toContain(c);
    expect(runCli(["--version"], env).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("status exits 3 when nothing runs; pair too", () => {
    const s = runCli(["status"], env);
    expect(s.code).toBe(3);
    expect(s.stdout).toContain("not running");
    expect(runCli(["status", "--json"], env).stdout).toContain('"running": false');
    expect(runCli(["pair"], env).code).toBe(3);
  });

  test("a bad variable stops start before listening: exit 2, one line naming it", () => {
    const r = runCli(["start"], { ...env, PORT: "abc" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT="abc"');
    expect(r.stderr).toContain("an integer from 0 to 65535");
    expect(r.stdout).not.toContain("Listening");
    const m = runCli(["start", "--port", "0"], { ...env, CLAUDE_PERMISSION_MODE: "yolo" });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain("CLAUDE_PERMISSION_MODE");
  });

  test("start -> /health -> token -> status -> SIGTERM -> exit 0, state file gone", async () => {
    proc = startCli(["--host", "127.0.0.1", "--port", "0", "--log-format", "json"], env);
    const url = await proc.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const out = proc.output().stdout;
    expect(out).toContain("2.1.332");
    expect(out).toMatch(/▄|█|▀/); // the QR code

    const health = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({ status: "ok", claude: { available: true, version: "2.1.332" } });

    const token = runCli(["token"], env);
    expect(token.code).toBe(0);
    const t = token.stdout.trim();
    expect((await fetch(`${url}/api/info`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    expect(out).toMatch(/#pair=[A-Za-z0-9_-]{22}/);
    expect(out).not.toContain(t);

    const status = runCli(["status", "--json"], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, url, claude: { available: true } });
    const human = runCli(["status"], env);
    expect(human.stdout).toContain("running");

    const again = runCli(["start", "--port", "0"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already running");

    const started = Date.now();
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(existsSync(join(configDir, "daemon.json"))).toBe(false);
    expect(runCli(["status"], env).code).toBe(3);

    const { stderr } = proc.output();
    expect(stderr).toContain('"msg":"listening"');
    expect(stderr).not.toContain(t);
  }, 90_000);

  test("token --rotate on a running daemon switches at once", async () => {
    proc = startCli(["--host", "127.0.0.1", "--port", "0"], env);
    const url = await proc.ready;
    const before = runCli(["token"], env).stdout.trim();
    const ws = await connectWs(url.replace(/^http/, "ws") + "/ws", { headers: { authorization: `Bearer ${before}` } });
    await ws.next("welcome");
    const code = new URL(JSON.parse(runCli(["pair", "--json"], env).stdout).url as string).hash.slice("#pair=".length);
    const rotated = runCli(["token", "--rotate", "--json"], env);
    expect(rotated.code).toBe(0);
    // The old token's socket is closed and its pairing code no longer pairs.
    expect((await ws.closed).code).toBe(4401);
    const late = await fetch(`${url}/api/pair`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pairingToken: code, deviceName: "late" }) });
    expect(late.status).toBe(401);
    const after = JSON.parse(rotated.stdout).token as string;
    expect(after).not.toBe(before);
    expect((await fetch(`${url}/api/info`, { headers: { authorization: `Bearer ${before}` } })).status).toBe(401);
    expect((await fetch(`${url}/api/info`, { headers: { authorization: `Bearer ${after}` } })).status).toBe(200);
    const stop = runCli(["stop"], env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain("stopped");
    expect(await proc.exited).toBe(0);
    expect(runCli(["stop"], env).stdout).toContain("not running");
  }, 90_000);

  test("a bare tool name the user gives starts with a warning naming the rule and what it allows; the default starts without", async () => {
    proc = startCli(["--host", "127.0.0.1", "--port", "0"], { ...env, CLAUDE_ALLOWED_TOOLS: "Read,Edit(//tmp/x/**),Bash" });
    await proc.ready;
    const { stderr } = proc.output();
    expect(stderr).toContain("⚠ CLAUDE_ALLOWED_TOOLS has the bare rule 'Read': Claude may read any file this user can read, outside the session's directory");
    expect(stderr).toContain("bare rule 'Bash': Claude may run any command");
    expect(stderr).not.toContain("bare rule 'Edit");
    proc.child.kill("SIGINT");
    expect(await proc.exited).toBe(0);
    proc = startCli(["--host", "127.0.0.1", "--port", "0"], env);
    await proc.ready;
    expect(proc.output().stderr).not.toContain("bare rule");
    proc.child.kill("SIGINT");
    expect(await proc.exited).toBe(0);
  });

  test("a Claude CLI that is missing is a warning, not a failed start", async () => {
    proc = startCli(["--host", "127.0.0.1", "--port", "0"], { ...env, CLAUDE_CLI_PATH: "/nonexistent/claude" });
    const url = await proc.ready;
    const health = (await (await fetch(`${url}/health`)).json()) as { claude: { available: boolean } };
    expect(health.claude.available).toBe(false);
    proc.child.kill("SIGINT");
    expect(await proc.exited).toBe(0);
  });
});
