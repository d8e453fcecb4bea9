// Terminal sessions made by the REAL Claude Code CLI (offline, fake Messages API): listed, read, followed, resumed, forked.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, describe, expect, test, vi } from "vitest";
import { REAL_CLAUDE, realClaudeInstalled } from "../helpers/fake-api.js";
import { transcriptFiles } from "../helpers/history-fixtures.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";
import { tempDir } from "../helpers/tmp.js";

const LONG = 90_000;
let project: string;
const terminals: ChildProcess[] = [];
afterAll(() => {
  for (const t of terminals) t.kill("SIGKILL");
});
const d = useRealCliDaemon(
  () => {
    const work = realpathSync(tempDir("cc-real-history-work-"));
    project = path.join(work, "my.app");
    mkdirSync(project);
    return { workDir: work };
  },
  { timeoutMs: LONG },
);
const { open, rest } = d;
const projectFiles = () => transcriptFiles(d.claudeEnv.CLAUDE_CONFIG_DIR!);

/** A terminal's Claude Code, kept running (stream-json on stdin, so the test can type into it). */
function startTerminal(args: string[]) {
  const child = spawn(REAL_CLAUDE, ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", ...args], { cwd: project, env: d.claudeEnv, stdio: ["pipe", "pipe", "ignore"] });
  terminals.push(child);
  const results: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (l) => {
    const m = JSON.parse(l) as { type: string; result?: string };
    if (m.type === "result") results.push(m.result ?? "");
  });
  const type = (text: string) => child.stdin!.write(JSON.stringify({ type: "user", message: { role: "user", content: text }, parent_tool_use_id: null, session_id: "" }) + "\n");
  return { child, results, type };
}

describe.skipIf(!realClaudeInstalled())("terminal sessions of the real CLI", () => {
  let sid: string;

  test("a session made by `claude -p` in a directory is listed with that directory and its prompt as title; its events hold the reply", async () => {
    await promisify(execFile)(REAL_CLAUDE, ["-p", "Explain the build system please"], { cwd: project, env: d.claudeEnv, timeout: LONG });
    const [file] = projectFiles();
    sid = path.basename(file!, ".jsonl");
    const list = await rest("GET", "/api/history");
    expect(list.body.sessions).toEqual([
      expect.objectContaining({ sessionId: sid, workingDirectory: project, title: "Explain the build system please", messageCount: 1, live: false, companion: false, resumeCommand: `cd ${project} && claude --resume ${sid}` }),
    ]);
    const events = await rest("GET", `/api/history/${sid}/events`);
    expect(events.body.events.map((e: any) => [e.type, e.data.text])).toEqual([
      ["userMessage", "Explain the build system please"],
      ["streamData", "Hello from fake API."],
    ]);
  }, LONG);

  test("streamStart { resume } continues it in its recorded directory: the next answer arrives and the transcript has both turns", async () => {
    const c = await open();
    const started = await c.request({ type: "streamStart", data: { resume: sid, prompt: "And the tests?" } }, "streamStarted", LONG);
    expect(started).toMatchObject({ type: "streamStarted", sessionId: sid, data: { workingDirectory: project } });
    const done = await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, LONG);
    expect(done.data).toMatchObject({ isError: false, result: "Hello from fake API." });
    // The CLI sent the first turn along: the resumed process had the history.
    expect(d.api.messageRequests().at(-1)!.messages!.length).toBeGreaterThanOrEqual(3);
    const events = (await rest("GET", `/api/history/${sid}/events`)).body.events;
    expect(events.filter((e: any) => e.type === "userMessage").map((e: any) => e.data.text)).toEqual(["Explain the build system please", "And the tests?"]);
    expect(events.filter((e: any) => e.type === "streamData")).toHaveLength(2);
    const listed = (await rest("GET", "/api/history")).body.sessions;
    expect(listed).toEqual([expect.objectContaining({ sessionId: sid, companion: true, live: false, messageCount: 2 })]);
    await c.request({ type: "streamClose", sessionId: sid, data: {} }, "ack", LONG);
    await c.close();
  }, LONG);

  test("while a terminal writes it: listed live, followed on the phone, read-only, and forked under a new id", async () => {
    const terminal = startTerminal(["--resume", sid]);
    terminal.type("Terminal turn one");
    await vi.waitFor(() => expect(terminal.results).toHaveLength(1), { timeout: LONG, interval: 100 });
    await vi.waitFor(async () => expect((await rest("GET", "/api/history")).body.sessions[0]).toMatchObject({ sessionId: sid, live: true }), { timeout: 20_000, interval: 200 });
    const c = await open();
    const sub = await c.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0 } }, "replayComplete", LONG);
    expect(sub.type).toBe("replayComplete");
    const before = sub.data.toSeq as number;
    terminal.type("Terminal turn two");
    const typed = await c.next((f) => f.sessionId === sid && f.type === "userMessage" && f.seq! > before, LONG);
    expect(typed.data.text).toBe("Terminal turn two");
    const reply = await c.next((f) => f.sessionId === sid && f.type === "streamData" && f.seq! > typed.seq!, LONG);
    expect(reply.data.text).toBe("Hello from fake API.");
    const send = await c.request({ type: "streamSend", sessionId: sid, data: { prompt: "from the phone" } }, "ack", LONG);
    expect(send.data).toMatchObject({ code: "TERMINAL_OWNS_SESSION", details: { pid: terminal.child.pid, fork: true } });
    const plain = await c.request({ type: "streamStart", data: { resume: sid } }, "streamStarted", LONG);
    expect(plain.data).toMatchObject({ code: "TERMINAL_OWNS_SESSION" });
    const original = projectFiles().find((f) => f.endsWith(`${sid}.jsonl`))!;
    const size = statSync(original).size;
    const fork = await c.request({ type: "streamStart", data: { resume: sid, fork: true, prompt: "Forked on the phone" } }, "streamStarted", LONG);
    expect(fork.type).toBe("streamStarted");
    expect(fork.sessionId).not.toBe(sid);
    expect(fork.data.workingDirectory).toBe(project);
    await c.next((f) => f.type === "streamComplete" && f.sessionId === fork.sessionId, LONG);
    expect(statSync(original).size).toBe(size);
    const forkedText = readFileSync(projectFiles().find((f) => f.endsWith(`${fork.sessionId}.jsonl`))!, "utf8");
    expect(forkedText).toContain("Terminal turn two");
    expect(forkedText).toContain("Forked on the phone");
    terminal.child.stdin!.end();
    await new Promise((r) => terminal.child.once("exit", r));
    expect(existsSync(original)).toBe(true);
    await c.close();
  }, LONG * 2);
});
