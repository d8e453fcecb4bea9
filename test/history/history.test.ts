// The history room against transcripts recorded from the real CLI 2.1.332, plus hand-made edge cases.
import { appendFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync, statSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, test, vi } from "vitest";
import { createHistory } from "../../src/history/index.js";
import { createLogger } from "../../src/log.js";
import { HistoryListResponseSchema } from "../../src/protocol/index.js";
import { copyHistoryFixtures, FIXTURE } from "../helpers/history-fixtures.js";
import { cleanupTempDirs } from "../helpers/tmp.js";

afterAll(cleanupTempDirs);

function setup(roots?: string[]) {
  const fx = copyHistoryFixtures();
  const logs: string[] = [];
  const logger = createLogger({
    format: "json",
    level: "debug",
    destination: new Writable({ write: (c: Buffer, _e, cb) => (logs.push(c.toString()), cb()) }),
  });
  const history = createHistory({ claudeConfigDir: fx.claudeConfigDir, allowedRoots: roots ?? [fx.workRoot], logger, pollMs: 20 });
  return { fx, history, logs };
}

describe("listing", () => {
  test("every top-level transcript inside the roots, newest first, titled, with its recorded directory; subagents and corrupt files are not sessions", async () => {
    const { fx, history, logs } = setup();
    const r = await history.list({ limit: 50 });
    expect(HistoryListResponseSchema.parse(r)).toEqual(r);
    const byId = new Map(r.sessions.map((s) => [s.sessionId, s]));
    expect([...byId.keys()].sort()).toEqual([FIXTURE.plain, FIXTURE.tool, FIXTURE.subagent, FIXTURE.longName, FIXTURE.torn, FIXTURE.summary].sort());
    const times = r.sessions.map((s) => s.lastActivity);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(byId.get(FIXTURE.plain)).toMatchObject({
      title: "Explain the build system please",
      workingDirectory: fx.dirOf("/tmp/hgen/proj/my.app"),
      gitBranch: expect.any(String),
      messageCount: 3,
      live: false,
      companion: false,
      resumeCommand: `cd ${fx.dirOf("/tmp/hgen/proj/my.app")} && claude --resume ${FIXTURE.plain}`,
    });
    // /rename wins over the first prompt; the /rename and /compact wrappers and the compaction summary are not prompts.
    expect(byId.get(FIXTURE.tool)).toMatchObject({ title: "Writing a file", messageCount: 1, workingDirectory: fx.dirOf("/tmp/hgen/proj/tool") });
    expect(byId.get(FIXTURE.summary)).toMatchObject({ title: "Build system walkthrough", messageCount: 1 });
    expect(byId.get(FIXTURE.subagent)).toMatchObject({ title: "please SUBAGENT now", messageCount: 1 });
    // The folder name is cut and hashed; the directory comes from the records.
    expect(byId.get(FIXTURE.longName)!.workingDirectory).toBe(fx.dirOf(`/tmp/hgen/proj/${"very_long.name-".repeat(10)}/${"x".repeat(100)}`));
    // The torn last line is not read yet.
    expect(byId.get(FIXTURE.torn)).toMatchObject({ messageCount: 1 });
    expect(logs.join("")).toContain("transcript has no readable record; skipped");
  });

  test("sessions outside the allowed roots are neither listed nor found", async () => {
    const { fx, history } = setup();
    const narrowed = createHistory({ claudeConfigDir: fx.claudeConfigDir, allowedRoots: [path.join(fx.workRoot, "tool")], logger: createLogger({ format: "json", level: "silent" }) });
    const r = await narrowed.list({ limit: 50 });
    expect(r.sessions.map((s) => s.sessionId)).toEqual([FIXTURE.tool]);
    expect(await narrowed.find(FIXTURE.plain)).toBeUndefined();
    await expect(narrowed.feed(FIXTURE.plain)).rejects.toMatchObject({ code: "SESSION_NOT_FOUND" });
    expect(await history.find(FIXTURE.plain)).toBeDefined();
  });

  test("q searches titles and prompts; pages follow nextCursor with nothing twice", async () => {
    const { history } = setup();
    expect((await history.list({ limit: 50, q: "writing A FILE" })).sessions.map((s) => s.sessionId)).toEqual([FIXTURE.tool]);
    expect((await history.list({ limit: 50, q: "third turn" })).sessions.map((s) => s.sessionId)).toEqual([FIXTURE.plain]);
    const all = (await history.list({ limit: 50 })).sessions.map((s) => s.sessionId);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await history.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.sessions.map((s) => s.sessionId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all);
    await expect(history.list({ limit: 2, cursor: "nonsense" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  test("metadata is cached by (path, size, mtime): an unchanged file is not read again, a grown one is", async () => {
    const { fx, history } = setup();
    await history.list({ limit: 50 });
    const file = fx.fileOf(FIXTURE.plain);
    const st = statSync(file);
    // Same size and mtime, different bytes: the cached title stays.
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("Explain the build system please", "Explain the BUILD system please"));
    utimesSync(file, st.atime, st.mtime);
    const again = await history.list({ limit: 50 });
    expect(again.sessions.find((s) => s.sessionId === FIXTURE.plain)!.title).toBe("Explain the build system please");
    appendFileSync(file, JSON.stringify({ type: "custom-title", customTitle: "Renamed later", sessionId: FIXTURE.plain }) + "\n");
    const grown = await history.list({ limit: 50 });
    expect(grown.sessions.find((s) => s.sessionId === FIXTURE.plain)!.title).toBe("Renamed later");
  });

  test("live: a process in the CLI's registry (<config>/sessions/<pid>.json) writes the session; a dead pid does not", async () => {
    const { fx, history } = setup();
    const dir = path.join(fx.claudeConfigDir, "sessions");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ pid: process.pid, sessionId: FIXTURE.tool, cwd: fx.dirOf("/tmp/hgen/proj/tool") }));
    writeFileSync(path.join(dir, "999999999.json"), JSON.stringify({ pid: 999999999, sessionId: FIXTURE.plain }));
    const r = await history.list({ limit: 50 });
    expect(r.sessions.find((s) => s.sessionId === FIXTURE.tool)!.live).toBe(true);
    expect(r.sessions.find((s) => s.sessionId === FIXTURE.plain)!.live).toBe(false);
    const companion = createHistory({
      claudeConfigDir: fx.claudeConfigDir,
      allowedRoots: [fx.workRoot],
      logger: createLogger({ format: "json", level: "silent" }),
      companion: { has: (id) => id === FIXTURE.tool, pids: () => new Set([process.pid]) },
    });
    // The daemon's own process is not "a terminal": listed once, as companion, not live.
    expect((await companion.list({ limit: 50 })).sessions.find((s) => s.sessionId === FIXTURE.tool)).toMatchObject({ live: false, companion: true });
  });
});

describe("events", () => {
  test("a tool turn reads as the live stream's events: prompt, text, tool use, tool result, reply; wrappers hidden", async () => {
    const { history } = setup();
    const feed = await history.feed(FIXTURE.tool);
    const events = feed.after(0).records.map((r) => r.event);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const kinds = events.map((e) => (e.type === "streamToolUse" ? `tool:${e.data.phase}` : e.type === "streamData" ? `text:${e.data.text}` : e.type));
    expect(kinds).toEqual(["userMessage", "text:I will use a tool.", "tool:use", "tool:result", "text:Done with tool.", "claudeEvent"]);
    expect(events[0]).toMatchObject({ type: "userMessage", sessionId: FIXTURE.tool, data: { text: expect.stringContaining("WRITEFILE") } });
    expect(events[2]).toMatchObject({ data: { phase: "use", name: "Write" } });
    expect(events[3]).toMatchObject({ data: { phase: "result", isError: false, content: expect.stringContaining("File created successfully") } });
    expect(JSON.stringify(events)).not.toMatch(/command-name|local-command|system-reminder|being continued/);
  });

  test("a record written twice is shown once; a subagent's records are not in the parent's events", async () => {
    const { history } = setup();
    const summary = (await history.feed(FIXTURE.summary)).after(0).records.map((r) => r.event.type);
    expect(summary).toEqual(["userMessage", "streamData", "claudeEvent"]);
    const sub = (await history.feed(FIXTURE.subagent)).after(0).records.map((r) => r.event);
    expect(sub.filter((e) => e.type === "userMessage")).toHaveLength(1);
    expect(JSON.stringify(sub)).not.toContain('"text":"Say hello back"}');
    expect(sub.find((e) => e.type === "streamToolUse" && e.data.phase === "use")).toMatchObject({ data: { name: "Agent" } });
  });

  test("a torn last line is read once its newline arrives, and each record once", async () => {
    const { fx, history } = setup();
    const feed = await history.feed(FIXTURE.torn);
    expect(feed.lastSeq()).toBe(2);
    const seen: number[] = [];
    const stop = feed.subscribe((r) => seen.push(r.event.seq));
    const file = fx.fileOf(FIXTURE.torn);
    const line = readFileSync(file, "utf8").split("\n").at(-1)!;
    const full = JSON.parse(line + readFileSync(path.resolve(import.meta.dirname, "../fixtures/history/torn-rest.txt"), "utf8")) as object;
    expect(full).toBeTruthy();
    appendFileSync(file, readFileSync(path.resolve(import.meta.dirname, "../fixtures/history/torn-rest.txt"), "utf8") + "\n");
    await vi.waitFor(() => expect(seen).toEqual([3]), { timeout: 5000 });
    expect(feed.after(2).records[0]!.event).toMatchObject({ type: "userMessage", data: { text: "A prompt still being written" } });
    stop();
  });
});
