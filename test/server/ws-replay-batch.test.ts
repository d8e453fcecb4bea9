// subscribe { batch: true }: the replay in eventBatch frames (same events, same order, bounded size), live events single.
import { describe, expect, test } from "vitest";
import { EventBatchFrameSchema, REPLAY_BATCH_BYTES } from "../../src/protocol/index.js";
import { sendReplay } from "../../src/server/ws/replay.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs, type Frame } from "../helpers/ws-client.js";

const d = useTestDaemon({ env: { CLAUDE_ALLOWED_TOOLS: "Read", MAX_SESSIONS: "20" } });

const open = async () => {
  const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
  await c.next("welcome");
  return c;
};
const restEvents = async (sessionId: string) =>
  ((await (await fetch(`${d.url}/api/sessions/${sessionId}/events?limit=5000`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as {
    events: { seq: number; type: string }[];
  }).events;

describe("replay in eventBatch frames", () => {
  test("a batched subscribe gets the same events as REST in a few eventBatch frames, then replayComplete; live events stay single frames", async () => {
    const c = await open();
    const sid = (await c.request({ type: "streamStart", data: { prompt: "work 300" } }, "streamStarted")).sessionId!;
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, 60_000);
    await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "idle", 10_000);
    const logged = await restEvents(sid);
    expect(logged.length).toBeGreaterThan(3000);

    const phone = await open();
    const done = await phone.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 10, batch: true } }, "replayComplete", 30_000);
    const replay = phone.frames.filter((f) => f.sessionId === sid && f.type !== "replayComplete");
    expect(replay.every((f) => f.type === "eventBatch" && f.requestId === done.requestId)).toBe(true);
    expect(replay.length).toBeGreaterThan(1);
    expect(replay.length).toBeLessThan(logged.length / 100);
    for (const f of replay) expect(EventBatchFrameSchema.safeParse(f).success).toBe(true);
    const events = replay.flatMap((f: Frame) => f.data.events as { seq: number; type: string }[]);
    expect(events).toEqual(logged.filter((e) => e.seq > 10));
    expect(done.data).toMatchObject({ fromSeq: 11, toSeq: logged.at(-1)!.seq, gap: false });
    expect(phone.invalid).toEqual([]);

    // After the replay, live events come one frame each, as for any subscriber.
    c.send({ type: "streamSend", sessionId: sid, data: { prompt: "reply" } });
    const live = await phone.next((f) => f.type === "userMessage" && f.sessionId === sid);
    expect(live.seq).toBe(logged.at(-1)!.seq + 1);
    await c.close();
    await phone.close();
  }, 90_000);

  test("without batch the replay is one frame per event, as before", async () => {
    const c = await open();
    const sid = (await c.request({ type: "streamStart", data: { prompt: "reply" } }, "streamStarted")).sessionId!;
    await c.next((f) => f.type === "streamComplete" && f.sessionId === sid, 30_000);
    const phone = await open();
    await phone.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0 } }, "replayComplete");
    const replay = phone.frames.filter((f) => f.sessionId === sid && f.type !== "replayComplete");
    expect(replay.some((f) => f.type === "eventBatch")).toBe(false);
    expect(replay.map((f) => f.seq)).toEqual(replay.map((_, i) => i + 1));
    await c.close();
    await phone.close();
  }, 60_000);
});

describe("sendReplay", () => {
  const record = (seq: number, size: number) => ({ json: JSON.stringify({ seq, sessionId: "s", ts: 1, type: "warning", data: { message: "x".repeat(size) } }) });

  test("joins consecutive records into batches of at most maxBytes; a larger record is a batch of its own", () => {
    const records = [record(1, 100), record(2, 100), record(3, 100), record(4, 1000), record(5, 10)];
    const sent: string[] = [];
    sendReplay(records, { batch: true, sessionId: "s", requestId: "r1", send: (j) => sent.push(j), maxBytes: 400 });
    const batches = sent.map((j) => JSON.parse(j) as { type: string; requestId: string; sessionId: string; data: { events: { seq: number }[] } });
    expect(batches.map((b) => b.data.events.map((e) => e.seq))).toEqual([[1, 2], [3], [4], [5]]);
    expect(batches.every((b) => b.type === "eventBatch" && b.requestId === "r1" && b.sessionId === "s")).toBe(true);
  });

  test("the default batch size is the protocol's, and nothing is sent for an empty replay", () => {
    const sent: string[] = [];
    sendReplay([], { batch: true, sessionId: "s", send: (j) => sent.push(j) });
    expect(sent).toEqual([]);
    const many = Array.from({ length: 2000 }, (_, i) => record(i + 1, 500));
    sendReplay(many, { batch: true, sessionId: "s", send: (j) => sent.push(j) });
    expect(sent.length).toBeGreaterThan(1);
    expect(Math.max(...sent.map((j) => j.length))).toBeLessThan(REPLAY_BATCH_BYTES + 200);
    expect(sent.flatMap((j) => (JSON.parse(j) as { data: { events: { seq: number }[] } }).data.events.map((e) => e.seq))).toEqual(many.map((_, i) => i + 1));
  });
});
