// `claude-companion sessions` and `resume` with the REAL Claude Code CLI: phone -> terminal -> phone on one conversation.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { execCli } from "../helpers/cli-process.js";
import { REAL_CLAUDE, realClaudeInstalled } from "../helpers/fake-api.js";
import { transcriptOf } from "../helpers/history-fixtures.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";
import { tempDir } from "../helpers/tmp.js";

const LONG = 90_000;
let work: string;
let project: string;
const d = useRealCliDaemon(
  () => {
    work = realpathSync(tempDir("cc-real-cli-work-"));
    project = path.join(work, "app");
    mkdirSync(project);
    return { workDir: work };
  },
  { timeoutMs: LONG },
);
const { open, rest } = d;

/** The built bin against the in-process daemon's config dir, with the real CLI's environment. */
const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  execCli([args[0]!, "--config-dir", d.configDir, ...args.slice(1)], { ...d.claudeEnv, CLAUDE_CLI_PATH: REAL_CLAUDE, ALLOWED_ROOTS: work, NO_COLOR: "1", ...extraEnv });

describe.skipIf(!realClaudeInstalled())("sessions and resume commands", () => {
  test("sessions [--json] lists a terminal session with its directory, title and resume command", async () => {
    await promisify(execFile)(REAL_CLAUDE, ["-p", "Terminal session for the list"], { cwd: project, env: d.claudeEnv, timeout: LONG });
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
    const started = await phone.request({ type: "streamStart", data: { prompt: "Phone turn one", workingDirectory: project } }, "streamStarted", LONG);
    const sid = started.sessionId!;
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);

    const r = await cli(["resume", sid, "--", "-p", "Terminal turn"]);
    expect(r.stderr).toContain(`cd ${project} && claude --resume ${sid}`);
    expect(r.stdout).toContain("Hello from fake API.");
    expect(r.code).toBe(0);
    const closed = await phone.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "closed", LONG);
    expect(closed.data.reason).toBe("terminal");
    expect(closed.data.transcriptSeq).toBeGreaterThanOrEqual(2);

    // Subscribing again from where the phone was follows the terminal in the session's own numbering.
    const replay = await phone.request({ type: "subscribe", sessionId: sid, data: { lastSeq: closed.seq! } }, "replayComplete", LONG);
    expect(replay.data).toMatchObject({ fromSeq: closed.seq! + 1, gap: false });
    const followed = phone.frames.filter((f) => f.sessionId === sid && f.seq! > closed.seq! && f.seq! <= replay.data.toSeq);
    expect(followed.filter((f) => f.type === "userMessage").map((f) => f.data.text)).toEqual(["Terminal turn"]);
    expect(followed.some((f) => f.type === "streamData" && f.data.text === "Hello from fake API.")).toBe(true);
    const terminalSeqs = followed.map((f) => `${f.seq}:${f.type}`);

    const again = await phone.request({ type: "streamStart", data: { resume: sid, prompt: "Phone turn two" } }, "streamStarted", LONG);
    expect(again).toMatchObject({ type: "streamStarted", sessionId: sid });
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid && f.seq! > (again.data.lastSeq ?? 0), LONG);
    const file = transcriptOf(d.claudeEnv.CLAUDE_CONFIG_DIR!, sid)!;
    const typed = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((x) => x.type === "user" && typeof x.message?.content === "string").map((x) => x.message.content);
    expect(typed).toEqual(["Phone turn one", "Terminal turn", "Phone turn two"]);

    // The daemon's own log now holds the terminal's turn too, with the seqs the follower saw, before the phone's next prompt.
    const log = (await rest("GET", `/api/sessions/${sid}/events`)).body.events as { seq: number; type: string; data: any }[];
    expect(log.filter((e) => e.seq > closed.seq! && e.seq <= replay.data.toSeq).map((e) => `${e.seq}:${e.type}`)).toEqual(terminalSeqs);
    const prompts = log.filter((e) => e.type === "userMessage").map((e) => e.data.text);
    expect(prompts).toEqual(["Phone turn one", "Terminal turn", "Phone turn two"]);
    await phone.close();
  }, LONG * 2);

  test("resume of an unknown id fails with one line and exit 1", async () => {
    const r = await cli(["resume", "99999999-9999-4999-8999-999999999999"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No Claude Code session with id 99999999-9999-4999-8999-999999999999");
  }, LONG);
});
