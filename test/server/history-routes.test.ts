// GET /api/history, its events, the live mirror over WS and the read-only rule, on a daemon with recorded transcripts.
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { HistoryEventsResponseSchema, HistoryListResponseSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { copyHistoryFixtures, FIXTURE, type HistoryFixture } from "../helpers/history-fixtures.js";
import { tempDir } from "../helpers/tmp.js";

let fx: HistoryFixture;
const OUTSIDE = "44444444-4444-4444-8444-444444444444";
const MIRRORED = "55555555-5555-4555-8555-555555555555";

const d = useTestDaemon(() => {
  fx = copyHistoryFixtures();
  // A transcript recorded outside the allowed roots.
  const plain = readFileSync(fx.fileOf(FIXTURE.plain), "utf8").split(fx.dirOf("/tmp/hgen/proj/my.app")).join("/outside-the-roots/app");
  mkdirSync(path.join(fx.claudeConfigDir, "projects", "-outside-the-roots-app"), { recursive: true });
  writeFileSync(path.join(fx.claudeConfigDir, "projects", "-outside-the-roots-app", `${OUTSIDE}.jsonl`), plain.split(FIXTURE.plain).join(OUTSIDE));
  return {
    workDir: fx.workRoot,
    childEnv: { ...process.env, CLAUDE_CONFIG_DIR: fx.claudeConfigDir, FAKE_CLAUDE_STATE_DIR: tempDir("cc-fake-state-") },
  };
});

const { rest, open } = d;
const registerLive = (sessionId: string) => {
  const dir = path.join(fx.claudeConfigDir, "sessions");
  mkdirSync(dir, { recursive: true });
  // This test process stands in for a terminal's Claude Code: alive, and not one of the daemon's children.
  const file = path.join(dir, `${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ pid: process.pid, sessionId, cwd: fx.workRoot }));
  return () => rmSync(file, { force: true });
};

describe("REST", () => {
  test("GET /api/history lists the transcripts inside the roots; the one outside is neither listed nor readable (404)", async () => {
    const r = await rest("GET", "/api/history?limit=100");
    expect(r.status).toBe(200);
    HistoryListResponseSchema.parse(r.body);
    const ids = r.body.sessions.map((s: any) => s.sessionId);
    expect(ids).toContain(FIXTURE.plain);
    expect(ids).not.toContain(OUTSIDE);
    const outside = await rest("GET", `/api/history/${OUTSIDE}/events`);
    expect(outside).toMatchObject({ status: 404, body: { data: { code: "SESSION_NOT_FOUND" } } });
    expect((await rest("GET", "/api/history?limit=0")).body.data).toMatchObject({ code: "BAD_REQUEST", details: { path: "query.limit" } });
    expect((await rest("GET", "/api/history?nope=1")).status).toBe(400);
    const cursor = (await rest("GET", "/api/history?limit=1")).body.nextCursor as string;
    expect((await rest("GET", `/api/history?limit=1&cursor=${cursor}`)).status).toBe(200);
    expect((await rest("GET", `/api/history?limit=1&cursor=${cursor}.x`)).body.data).toMatchObject({ code: "BAD_REQUEST", details: { path: "query.cursor" } });
  });

  test("GET /api/history/:id/events pages the transcript as session events", async () => {
    const first = await rest("GET", `/api/history/${FIXTURE.plain}/events?limit=2`);
    expect(first.status).toBe(200);
    HistoryEventsResponseSchema.parse(first.body);
    expect(first.body).toMatchObject({ sessionId: FIXTURE.plain, lastSeq: 6, nextAfter: 2, hasMore: true, live: false });
    expect(first.body.events.map((e: any) => e.type)).toEqual(["userMessage", "streamData"]);
    const rest2 = await rest("GET", `/api/history/${FIXTURE.plain}/events?after=2`);
    expect(rest2.body.events.map((e: any) => e.seq)).toEqual([3, 4, 5, 6]);
    expect(rest2.body.events[3]).toMatchObject({ type: "streamData", data: { text: "Hello from fake API." } });
  });

  test("sending to a transcript is refused: SESSION_READ_ONLY, or TERMINAL_OWNS_SESSION while a terminal writes it", async () => {
    const idle = await rest("POST", `/api/stream/${FIXTURE.tool}`, { prompt: "hi" });
    expect(idle).toMatchObject({ status: 409, body: { data: { code: "SESSION_READ_ONLY", details: { sessionId: FIXTURE.tool, resume: true } } } });
    const stop = registerLive(FIXTURE.tool);
    try {
      const live = await rest("POST", `/api/stream/${FIXTURE.tool}`, { prompt: "hi" });
      expect(live).toMatchObject({ status: 409, body: { data: { code: "TERMINAL_OWNS_SESSION", details: { pid: process.pid, fork: true } } } });
      expect((await rest("GET", "/api/history?q=writing")).body.sessions[0]).toMatchObject({ sessionId: FIXTURE.tool, live: true });
    } finally {
      stop();
    }
  });
});

describe("WebSocket", () => {
  test("streamStart { resume } of a transcript: refused in another directory, refused while a terminal writes it (fork offered), else runs in the recorded directory", async () => {
    const c = await open();
    const other = await c.request({ type: "streamStart", data: { resume: FIXTURE.plain, workingDirectory: fx.dirOf("/tmp/hgen/proj/tool") } }, "streamStarted");
    expect(other.data).toMatchObject({ code: "RESUME_DIRECTORY_MISMATCH", details: { recorded: fx.dirOf("/tmp/hgen/proj/my.app") } });
    const stop = registerLive(FIXTURE.plain);
    try {
      const live = await c.request({ type: "streamStart", data: { resume: FIXTURE.plain } }, "streamStarted");
      expect(live.data).toMatchObject({ code: "TERMINAL_OWNS_SESSION", details: { fork: true } });
      const send = await c.request({ type: "streamSend", sessionId: FIXTURE.plain, data: { prompt: "hi" } }, "ack");
      expect(send.data).toMatchObject({ code: "TERMINAL_OWNS_SESSION" });
    } finally {
      stop();
    }
    const fork = await c.request({ type: "streamStart", data: { fork: true } }, "streamStarted");
    expect(fork.data).toMatchObject({ code: "BAD_REQUEST", details: { path: "body.fork" } });
    const started = await c.request({ type: "streamStart", data: { resume: FIXTURE.summary } }, "streamStarted");
    expect(started).toMatchObject({ type: "streamStarted", sessionId: FIXTURE.summary, data: { workingDirectory: fx.dirOf("/tmp/hgen/proj/edge") } });
    await rest("DELETE", `/api/stream/${FIXTURE.summary}`);
    expect(c.invalid).toEqual([]);
    await c.close();
  });

  test("live mirror: records appended while subscribed arrive once each, in order, a line written in two halves once complete", async () => {
    const dir = path.join(fx.claudeConfigDir, "projects", "-mirror");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${MIRRORED}.jsonl`);
    const cwd = path.join(fx.workRoot, "edge");
    let n = 0;
    const rec = (type: "user" | "assistant", content: unknown) =>
      JSON.stringify({ parentUuid: null, isSidechain: false, type, uuid: `55555555-0000-4000-8000-${String(++n).padStart(12, "0")}`, timestamp: new Date(1_800_000_000_000 + n).toISOString(), cwd, sessionId: MIRRORED, message: { role: type, ...(type === "assistant" ? { id: `msg_${n}` } : {}), content } }) + "\n";
    writeFileSync(file, rec("user", "watch me"));
    const c = await open();
    const done = await c.request({ type: "subscribe", sessionId: MIRRORED, data: { lastSeq: 0 } }, "replayComplete");
    expect(done.data).toMatchObject({ fromSeq: 1, toSeq: 1, gap: false });
    appendFileSync(file, rec("assistant", [{ type: "text", text: "one" }]));
    await c.next((f) => f.sessionId === MIRRORED && f.seq === 2);
    const third = rec("assistant", [{ type: "text", text: "two" }, { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }]);
    appendFileSync(file, third.slice(0, 40));
    // A read now sees only the first half: nothing new yet.
    expect((await rest("GET", `/api/history/${MIRRORED}/events?after=2`)).body).toMatchObject({ lastSeq: 2, events: [] });
    appendFileSync(file, third.slice(40));
    appendFileSync(file, rec("user", [{ type: "tool_result", tool_use_id: "toolu_1", content: "a.txt" }]));
    appendFileSync(file, rec("user", "<system-reminder>hidden</system-reminder>"));
    appendFileSync(file, rec("user", "and again"));
    await c.next((f) => f.sessionId === MIRRORED && f.seq === 6);
    // One more record after all of them: anything sent twice would have arrived before it.
    appendFileSync(file, rec("assistant", [{ type: "text", text: "end" }]));
    await c.next((f) => f.sessionId === MIRRORED && f.seq === 7);
    const events = c.frames.filter((f) => f.sessionId === MIRRORED && typeof f.seq === "number");
    expect(events.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.map((f) => (f.type === "streamData" ? f.data.text : f.type === "streamToolUse" ? f.data.phase : f.data.text))).toEqual(["watch me", "one", "two", "use", "result", "and again", "end"]);
    expect(c.invalid).toEqual([]);
    await c.close();
  });
});
