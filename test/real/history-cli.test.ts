// `claude-companion sessions` and `resume` with the REAL Claude Code CLI: phone -> terminal -> phone on one conversation.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { connectWs, type TestWsClient } from "../helpers/ws-client.js";

const BIN = path.resolve(import.meta.dirname, "../../bin/claude-companion.js");
const LONG = 90_000;
let api: FakeAnthropicApi;
let d: TestDaemon;
let env: Record<string, string | undefined>;
let work: string;
let project: string;

beforeAll(async () => {
  api = await startFakeAnthropicApi();
  env = realClaudeEnv(api, tempDir("cc-real-cli-cfg-"));
  work = realpathSync(tempDir("cc-real-cli-work-"));
  project = path.join(work, "app");
  mkdirSync(project);
  d = await startTestDaemon({ workDir: work, env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_MAX_RETRIES: "0" }, childEnv: env });
}, LONG);
afterAll(async () => {
  await d?.close();
  await api?.close();
  cleanupTempDirs();
});

/** The built bin, run without blocking this process (the in-process daemon must answer it). */
function cli(args: string[], extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, args[0]!, "--config-dir", d.configDir, ...args.slice(1)], {
      env: { ...env, CLAUDE_CLI_PATH: REAL_CLAUDE, ALLOWED_ROOTS: work, NO_COLOR: "1", ...extraEnv } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
const open = async () => {
  const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
  await c.next("welcome");
  return c;
};
let rid = 0;
const request = async (c: TestWsClient, frame: object, reply: string) => {
  const requestId = `c${++rid}`;
  c.send({ ...frame, requestId });
  return c.next((f) => f.requestId === requestId && (f.type === reply || f.type === "error"), LONG);
};

describe.skipIf(!realClaudeInstalled())("sessions and resume commands", () => {
  test("sessions [--json] lists a terminal session with its directory, title and resume command", async () => {
    await promisify(execFile)(REAL_CLAUDE, ["-p", "Terminal session for the list"], { cwd: project, env, timeout: LONG });
    const json = await cli(["sessions", "--json"]);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout).sessions as { sessionId: string; title: string; workingDirectory: string; resumeCommand: string }[];
    const row = rows.find((r) => r.title === "Terminal session for the list")!;
    expect(row).toMatchObject({ workingDirectory: project, resumeCommand: `cd ${project} && claude --resume ${row.sessionId}` });
    const text = await cli(["sessions"]);
    expect(text.stdout).toContain("Terminal session for the list");
    expect(text.stdout).toContain(row.resumeCommand);
  }, LONG);

  test("phone -> terminal -> phone: resume stops the daemon's process, runs claude --resume in the directory, the phone follows and continues", async () => {
    const phone = await open();
    const started = await request(phone, { type: "streamStart", data: { prompt: "Phone turn one", workingDirectory: project } }, "streamStarted");
    const sid = started.sessionId!;
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);

    const r = await cli(["resume", sid, "--", "-p", "Terminal turn"]);
    expect(r.stderr).toContain(`cd ${project} && claude --resume ${sid}`);
    expect(r.stdout).toContain("Hello from fake API.");
    expect(r.code).toBe(0);
    const closed = await phone.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "closed", LONG);
    expect(closed.data.reason).toBe("terminal");

    // Subscribing again follows the transcript: the terminal's turn is there.
    const replay = await request(phone, { type: "subscribe", sessionId: sid, data: { lastSeq: 0 } }, "replayComplete");
    expect(replay.type).toBe("replayComplete");
    const prompts = phone.frames.filter((f) => f.sessionId === sid && f.type === "userMessage" && f.seq! <= replay.data.toSeq).map((f) => f.data.text);
    expect(prompts.slice(-2)).toEqual(["Phone turn one", "Terminal turn"]);

    const again = await request(phone, { type: "streamStart", data: { resume: sid, prompt: "Phone turn two" } }, "streamStarted");
    expect(again).toMatchObject({ type: "streamStarted", sessionId: sid });
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid && f.seq! > (again.data.lastSeq ?? 0), LONG);
    const dir = path.join(env.CLAUDE_CONFIG_DIR!, "projects");
    const file = readdirSync(dir).map((p) => path.join(dir, p, `${sid}.jsonl`)).find((f) => { try { return Boolean(readFileSync(f)); } catch { return false; } })!;
    const typed = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((x) => x.type === "user" && typeof x.message?.content === "string").map((x) => x.message.content);
    expect(typed).toEqual(["Phone turn one", "Terminal turn", "Phone turn two"]);
    await phone.close();
  }, LONG * 2);

  test("resume of an unknown id fails with one line and exit 1", async () => {
    const r = await cli(["resume", "99999999-9999-4999-8999-999999999999"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No Claude Code session with id 99999999-9999-4999-8999-999999999999");
  }, LONG);
});
