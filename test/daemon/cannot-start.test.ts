// Issue 17 defect 5: a session whose Claude fails the same way twice in a row before taking a prompt "cannot start" (SessionInfo.cannotStart), across a restart; a prompt tries once more.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { SessionInfo } from "../../src/protocol/sessions.js";
import { useTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";
import type { TestWsClient } from "../helpers/ws-client.js";

const daemons = useTestDaemon({ lazy: true });

/** Daemons in a row on one config dir, working dir and fake-claude state; the fake refuses to start while `errorFile` exists. */
function sharedDirs() {
  const configDir = tempDir("cc-cannot-");
  const workDir = tempDir("cc-cannot-work-");
  const errorFile = join(tempDir("cc-cannot-err-"), "start-error.txt");
  const childEnv = { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-cannot-fake-"), FAKE_CLAUDE_START_ERROR_FILE: errorFile };
  return { errorFile, start: () => daemons.start({ configDir, workDir, childEnv }) };
}

const info = async (d: TestDaemon, sid: string) => (await d.rest("GET", `/api/sessions/${sid}`)).body as SessionInfo;

/** Sends a prompt and waits until its turn ended (a start failure ends it with claude-exited) and the session is idle again. */
async function prompt(c: TestWsClient, sid: string, text: string): Promise<{ exited: boolean; update: Record<string, unknown> }> {
  const id = `p${Math.random()}`;
  c.send({ type: "streamSend", requestId: id, sessionId: sid, data: { prompt: text } });
  const done = await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
  const update = await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "idle");
  return { exited: done.data.subtype === "claude-exited", update: update.data as Record<string, unknown> };
}

describe("a session that cannot start", () => {
  test("the same failure twice on resume: cannotStart with the stderr line; kept over a restart; a prompt tries again and clears it once Claude starts", async () => {
    const { errorFile, start } = sharedDirs();
    const a = await start();
    const c = await a.open();
    c.send({ type: "streamStart", requestId: "s", data: { prompt: "reply" } });
    const sid = (await c.next("streamStarted")).sessionId!;
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    // Claude's transcript exists; its process goes, and the CLI now refuses to start (every spawn is a --resume).
    await a.close();
    writeFileSync(errorFile, "Error: settings.json: invalid JSON\n");

    const b = await start();
    const r = await b.open();
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: (await info(b, sid)).lastSeq } });
    await r.next("replayComplete");
    const first = await prompt(r, sid, "reply");
    expect(first.exited).toBe(true);
    const exited = r.frames.filter((f) => f.type === "sessionError" && f.sessionId === sid).at(-1)!;
    expect(exited.data).toMatchObject({ code: "CLAUDE_EXITED", details: { exitCode: 1, beforeInit: true, stderrTail: "Error: settings.json: invalid JSON\n" } });
    // One failure is not "cannot start": the list still says idle, nothing more.
    expect(first.update.cannotStart).toBeUndefined();
    expect((await info(b, sid)).cannotStart).toBeUndefined();

    const second = await prompt(r, sid, "reply");
    expect(second.exited).toBe(true);
    const expected = { reason: "Error: settings.json: invalid JSON", exitCode: 1, signal: null, stderrTail: "Error: settings.json: invalid JSON", attempts: 2 };
    expect(second.update.cannotStart).toMatchObject(expected);
    const now = await info(b, sid);
    expect(now).toMatchObject({ state: "idle", cannotStart: expected });
    const { since } = now.cannotStart!;
    await b.close();

    // Persisted: a new daemon says the same before any prompt.
    const c2 = await start();
    expect(await info(c2, sid)).toMatchObject({ state: "idle", cannotStart: { ...expected, since } });
    const listed = (await c2.rest("GET", "/api/sessions")).body as { sessions: SessionInfo[] };
    expect(listed.sessions.find((s) => s.sessionId === sid)?.cannotStart).toMatchObject(expected);

    // A prompt tries once more; another failure keeps it, with the fresh reason.
    writeFileSync(errorFile, "Error: the config dir is read-only\n");
    const w = await c2.open();
    w.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: (await info(c2, sid)).lastSeq } });
    await w.next("replayComplete");
    const third = await prompt(w, sid, "reply");
    expect(third.update.cannotStart).toMatchObject({ reason: "Error: the config dir is read-only", attempts: 3, since });

    // Fixed on the computer: the next prompt starts Claude, the turn answers, and the session can start again.
    rmSync(errorFile);
    const fourth = await prompt(w, sid, "echo back again");
    expect(fourth.exited).toBe(false);
    expect(fourth.update.cannotStart).toBeUndefined();
    expect((await info(c2, sid)).cannotStart).toBeUndefined();
    await w.close();
  });

  test("two failures that differ are not 'the same way': the session stays startable", async () => {
    const { errorFile, start } = sharedDirs();
    const d = await start();
    const c = await d.open();
    c.send({ type: "streamStart", requestId: "s", data: { prompt: "reply" } });
    const sid = (await c.next("streamStarted")).sessionId!;
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    writeFileSync(errorFile, "Error: first reason\n");
    // The live process took a prompt (system/init); an exit it was not asked for and a fresh --resume follow.
    c.send({ type: "streamSend", requestId: "k", sessionId: sid, data: { prompt: "crash" } });
    await c.next((f) => f.type === "sessionError" && f.sessionId === sid && f.data.details.beforeInit === false);
    await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "idle");
    expect((await prompt(c, sid, "reply")).update.cannotStart).toBeUndefined();
    writeFileSync(errorFile, "Error: second reason\n");
    expect((await prompt(c, sid, "reply")).update.cannotStart).toBeUndefined();
    // The second reason, twice in a row: now it cannot start.
    expect((await prompt(c, sid, "reply")).update.cannotStart).toMatchObject({ reason: "Error: second reason", attempts: 2 });
    await c.close();
  });
});
