// SessionInfo's `title` and `lastMessage` as PROTOCOL.md ("Session info") and issue 17 ("sessions you can tell apart") say:
// the first prompt's first line (trimmed, <= 80), the last prompt's or answer's first line (<= 120), kept across a restart.
import { afterEach, expect, test, vi } from "vitest";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

let daemons: TestDaemon[] = [];
afterEach(async () => {
  await Promise.all(daemons.map((d) => d.close()));
  daemons = [];
  cleanupTempDirs();
});

const start = async (configDir: string, workDir: string) => {
  const d = await startTestDaemon({ configDir, workDir, env: { CLAUDE_ALLOWED_TOOLS: "Read" } });
  daemons.push(d);
  return d;
};
const info = async (d: TestDaemon, id: string) => (await d.rest("GET", `/api/sessions/${id}`)).body as { state: string; title?: string; lastMessage?: string };
const idle = (d: TestDaemon, id: string) => vi.waitFor(async () => expect((await info(d, id)).state).toBe("idle"), { timeout: 20_000, interval: 50 });

test("no title before a prompt; then the first prompt's first line, and the last message follows prompts and answers; both survive a restart", async () => {
  const configDir = tempDir("cc-titles-");
  const workDir = tempDir("cc-titles-work-");
  const a = await start(configDir, workDir);
  const id = ((await a.rest("POST", "/api/stream/start", {})).body as { sessionId: string }).sessionId;
  const empty = await info(a, id);
  expect("title" in empty || "lastMessage" in empty).toBe(false);

  // The fake CLI's "reply" answers "Hello from fake Claude.".
  await a.rest("POST", `/api/stream/${id}`, { prompt: "\n   Fix the login bug, reply   \nwith the second line ignored" });
  await idle(a, id);
  expect(await info(a, id)).toMatchObject({ title: "Fix the login bug, reply", lastMessage: "Hello from fake Claude." });

  // A later turn: the title stays the first prompt's, the last message is that turn's answer.
  const long = `reply ${"x".repeat(300)}`;
  await a.rest("POST", `/api/stream/${id}`, { prompt: long });
  await idle(a, id);
  const later = await info(a, id);
  expect(later.title).toBe("Fix the login bug, reply");
  expect(later.lastMessage).toBe("Hello from fake Claude.");

  // A long first prompt: its title is cut to 80 characters; its echoed answer, the last message, to 120.
  const other = ((await a.rest("POST", "/api/stream/start", { prompt: `echo ${"y".repeat(300)}` })).body as { sessionId: string }).sessionId;
  await idle(a, other);
  const cut = await info(a, other);
  expect(cut.title!.length).toBeLessThanOrEqual(80);
  expect(cut.title!.startsWith("echo yyy")).toBe(true);
  expect(cut.lastMessage!.length).toBeLessThanOrEqual(120);

  await a.close();
  daemons = daemons.filter((d) => d !== a);
  const b = await start(configDir, workDir);
  expect(await info(b, id)).toMatchObject({ title: "Fix the login bug, reply", lastMessage: "Hello from fake Claude." });
  expect((await info(b, other)).title).toBe(cut.title);
});
