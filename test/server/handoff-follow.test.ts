// A session of ours handed to a terminal: followed in its own numbering (its log, then the terminal's records), imported on resume.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { HistoryEventsResponseSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

let claudeConfigDir: string;
let work: string;
const d = useTestDaemon(() => {
  claudeConfigDir = tempDir("cc-claude-config-");
  work = tempDir("cc-handoff-work-");
  return { workDir: work, childEnv: { ...process.env, CLAUDE_CONFIG_DIR: claudeConfigDir, FAKE_CLAUDE_STATE_DIR: tempDir("cc-fake-state-") } };
});
const { rest, open } = d;

/** Writes Claude Code's transcript of `sessionId` as the CLI would (the fake CLI writes none). */
function transcript(sessionId: string) {
  const dir = path.join(claudeConfigDir, "projects", "-handoff");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sessionId}.jsonl`);
  let n = 0;
  const rec = (type: "user" | "assistant", content: unknown) =>
    JSON.stringify({ parentUuid: null, isSidechain: false, type, uuid: `66666666-0000-4000-8000-${String(++n).padStart(12, "0")}`, timestamp: new Date(1_800_000_000_000 + n).toISOString(), cwd: work, sessionId, message: { role: type, ...(type === "assistant" ? { id: `msg_${n}` } : {}), content } }) + "\n";
  return {
    write: (...lines: string[]) => writeFileSync(file, lines.join("")),
    append: (...lines: string[]) => appendFileSync(file, lines.join("")),
    user: (text: string) => rec("user", text),
    assistant: (text: string) => rec("assistant", [{ type: "text", text }]),
  };
}

const texts = (frames: any[], sid: string) =>
  frames.filter((f) => f.sessionId === sid && typeof f.seq === "number" && (f.type === "userMessage" || (f.type === "streamData" && f.data.kind === "message"))).map((f) => `${f.seq}:${f.data.text}`);

describe("hand-over to a terminal and back", () => {
  test("the follower gets the session's log and then the terminal's turns numbered on; a resume imports them with those seqs", async () => {
    const phone = await open();
    const started = await phone.request({ type: "streamStart", data: { prompt: "reply first on the phone", workingDirectory: work } }, "streamStarted");
    const sid = started.sessionId!;
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    const t = transcript(sid);
    t.write(t.user("reply first on the phone"), t.assistant("Hello from fake Claude."));

    const handoff = await rest("POST", `/api/history/${sid}/handoff`, {});
    expect(handoff.body).toMatchObject({ sessionId: sid, released: true });
    const closed = await phone.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "closed");
    expect(closed.data).toMatchObject({ reason: "terminal", transcriptSeq: 2 });
    const base = closed.seq!;

    // Another phone opens it now: the session's own events, then the terminal's as they are written.
    const other = await open();
    const done = await other.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0, batch: true } }, "replayComplete");
    expect(done.data).toMatchObject({ fromSeq: 1, toSeq: base, gap: false, pendingPermissions: [] });
    t.append(t.user("terminal turn"), t.assistant("terminal answer"));
    await other.next((f) => f.sessionId === sid && f.seq === base + 2);
    expect(texts(other.frames, sid).slice(-2)).toEqual([`${base + 1}:terminal turn`, `${base + 2}:terminal answer`]);

    // The first phone subscribes again from where it was: only the terminal's part comes.
    const again = await phone.request({ type: "subscribe", sessionId: sid, data: { lastSeq: base } }, "replayComplete");
    expect(again.data).toMatchObject({ fromSeq: base + 1, toSeq: base + 2, gap: false });

    // Back on the phone: the terminal's turns join the log, with the seqs the followers saw.
    const resumed = await phone.request({ type: "streamStart", data: { resume: sid, prompt: "reply back on the phone" } }, "streamStarted");
    expect(resumed.sessionId).toBe(sid);
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid && f.seq! > base + 2);
    const events = await rest("GET", `/api/sessions/${sid}/events`);
    const logged = texts(events.body.events, sid);
    expect(logged).toEqual([expect.stringMatching(/:reply first on the phone$/), expect.stringMatching(/:Hello from fake Claude\.$/), `${base + 1}:terminal turn`, `${base + 2}:terminal answer`, expect.stringMatching(/:reply back on the phone$/), expect.stringMatching(/:Hello from fake Claude\.$/)]);

    // The other phone now gets the session's own events live (no transcript record renumbered any more).
    await other.next((f) => f.type === "streamComplete" && f.sessionId === sid && f.seq! > base + 2);
    t.append(t.user("written by the daemon's new process"));
    const sent = await phone.request({ type: "streamSend", sessionId: sid, data: { prompt: "reply once more" } }, "ack");
    expect(sent.type).toBe("ack");
    await other.next((f) => f.type === "streamComplete" && f.sessionId === sid && f.data.promptIds.includes(sent.data.promptId));
    const seen = other.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number").map((f) => f.seq!);
    expect(texts(other.frames, sid).some((x) => x.includes("written by the daemon's new process"))).toBe(false);
    // Each seq once, rising (the resubscribe after the gap replays only what was missing).
    expect(new Set(seen).size).toBe(seen.length);
    expect(other.invalid).toEqual([]);
    await other.close();
    await phone.close();
  });

  test("a session closed before the hand-over gets one more closing event with transcriptSeq; the transcript itself still lists it", async () => {
    const phone = await open();
    const started = await phone.request({ type: "streamStart", data: { prompt: "reply then close", workingDirectory: work } }, "streamStarted");
    const sid = started.sessionId!;
    await phone.next((f) => f.type === "streamComplete" && f.sessionId === sid);
    await phone.request({ type: "streamClose", sessionId: sid, data: {} }, "ack");
    const t = transcript(sid);
    t.write(t.user("reply then close"), t.assistant("Hello from fake Claude."));
    const handoff = await rest("POST", `/api/history/${sid}/handoff`, {});
    expect(handoff.body).toMatchObject({ sessionId: sid, released: false });
    const closed = await phone.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.reason === "terminal");
    expect(closed.data).toMatchObject({ state: "closed", previousState: "closed", transcriptSeq: 2 });
    HistoryEventsResponseSchema.parse((await rest("GET", `/api/history/${sid}/events`)).body);
    await phone.close();
  });
});
