// subscribe { batch: true }: the replay in eventBatch frames (same events, same order, bounded size), live events single.
import { describe, expect, test } from "vitest";
import { EventBatchFrameSchema, REPLAY_BATCH_BYTES } from "../../src/protocol/index.js";
import type { SessionEvent } from "../../src/protocol/events.js";
import { sendReplay } from "../../src/server/ws/replay.js";
import type { LogRecord } from "../../src/sessions/index.js";
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

/** The batches' ranges follow each other without a hole: returns [first fromSeq, last toSeq]. */
function contiguous(batches: Frame[]): [number, number] {
  for (let i = 1; i < batches.length; i++) expect(batches[i]!.data.fromSeq).toBe(batches[i - 1]!.data.toSeq + 1);
  for (const b of batches) for (const e of b.data.events as { seq: number }[]) expect(e.seq >= b.data.fromSeq && e.seq <= b.data.toSeq).toBe(true);
  return [batches[0]!.data.fromSeq, batches.at(-1)!.data.toSeq];
}

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
    expect(contiguous(replay)).toEqual([11, logged.at(-1)!.seq]);
    expect(done.data).toMatchObject({ fromSeq: 11, toSeq: logged.at(-1)!.seq, gap: false });
    expect(phone.invalid).toEqual([]);

    // omitStreamEvents: Claude's raw stream events are left out, their seqs still covered by the batches' ranges.
    const lean = await open();
    await lean.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0, batch: true, omitStreamEvents: true } }, "replayComplete", 30_000);
    const leanBatches = lean.frames.filter((f) => f.type === "eventBatch");
    const isStream = (e: { type: string; data?: { claudeType?: string } }) => e.type === "claudeEvent" && e.data?.claudeType === "stream_event";
    const all = logged as { seq: number; type: string; data?: { claudeType?: string } }[];
    expect(all.filter(isStream).length).toBeGreaterThan(all.length / 3);
    expect(leanBatches.flatMap((f) => f.data.events)).toEqual(all.filter((e) => !isStream(e)));
    expect(contiguous(leanBatches)).toEqual([1, logged.at(-1)!.seq]);
    expect(lean.invalid).toEqual([]);
    await lean.close();

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
    // Leaving events out needs the batches' ranges.
    const refused = await phone.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0, omitStreamEvents: true } });
    expect(refused).toMatchObject({ type: "error", data: { code: "BAD_REQUEST" } });
    await c.close();
    await phone.close();
  }, 60_000);
});

describe("sendReplay", () => {
  const record = (seq: number, size: number, stream = false): LogRecord => {
    const event = (stream
      ? { seq, sessionId: "s", ts: 1, type: "claudeEvent", data: { claudeType: "stream_event", raw: { pad: "x".repeat(size) } } }
      : { seq, sessionId: "s", ts: 1, type: "warning", data: { message: "x".repeat(size) } }) as SessionEvent;
    return { event, json: JSON.stringify(event) };
  };
  const parse = (sent: string[]) => sent.map((j) => JSON.parse(j) as { type: string; requestId: string; sessionId: string; data: { fromSeq: number; toSeq: number; events: { seq: number }[] } });

  test("joins consecutive records into batches of at most maxBytes; a larger record is a batch of its own", () => {
    const records = [record(1, 100), record(2, 100), record(3, 100), record(4, 1000), record(5, 10)];
    const sent: string[] = [];
    sendReplay(records, { batch: true, sessionId: "s", requestId: "r1", send: (j) => sent.push(j), maxBytes: 400 });
    const batches = parse(sent);
    expect(batches.map((b) => b.data.events.map((e) => e.seq))).toEqual([[1, 2], [3], [4], [5]]);
    expect(batches.map((b) => [b.data.fromSeq, b.data.toSeq])).toEqual([[1, 2], [3, 3], [4, 4], [5, 5]]);
    expect(batches.every((b) => b.type === "eventBatch" && b.requestId === "r1" && b.sessionId === "s")).toBe(true);
  });

  test("omitStreamEvents leaves stream events out and keeps their seqs in the ranges, even a batch of none", () => {
    const records = [record(1, 10, true), record(2, 10), record(3, 10, true), record(4, 10, true), record(5, 10), record(6, 10, true)];
    const sent: string[] = [];
    sendReplay(records, { batch: true, omitStreamEvents: true, sessionId: "s", send: (j) => sent.push(j) });
    expect(parse(sent).map((b) => [b.data.fromSeq, b.data.toSeq, b.data.events.map((e) => e.seq)])).toEqual([[1, 6, [2, 5]]]);
    sent.length = 0;
    sendReplay([record(7, 10, true), record(8, 10, true)], { batch: true, omitStreamEvents: true, sessionId: "s", send: (j) => sent.push(j) });
    expect(parse(sent).map((b) => [b.data.fromSeq, b.data.toSeq, b.data.events.length])).toEqual([[7, 8, 0]]);
    // Told by the claudeType, whatever the key order of the data; other claudeEvents stay.
    const other = (seq: number, data: object): LogRecord => {
      const event = { seq, sessionId: "s", ts: 1, type: "claudeEvent", data } as SessionEvent;
      return { event, json: JSON.stringify(event) };
    };
    sent.length = 0;
    sendReplay([other(9, { raw: {}, claudeType: "stream_event" }), other(10, { claudeType: "system", subtype: "compact_boundary", raw: {} })], {
      batch: true, omitStreamEvents: true, sessionId: "s", send: (j) => sent.push(j),
    });
    expect(parse(sent).map((b) => [b.data.fromSeq, b.data.toSeq, b.data.events.map((e) => e.seq)])).toEqual([[9, 10, [10]]]);
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
