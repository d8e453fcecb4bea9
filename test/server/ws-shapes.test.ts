// Every WebSocket frame the daemon sends in a full journey (welcome, start, stream, permission, answer, ack, pong, sessions,
// a batched replay, an ask, errors) matches its src/protocol schema exactly: no field the schema (and PROTOCOL.md) lacks.
import { expect, test } from "vitest";
import type { z } from "zod";
import { ServerFrameSchema, SessionEventSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { extraFields } from "../helpers/schema-fields.js";
import type { Frame } from "../helpers/ws-client.js";

const d = useTestDaemon({ env: { CLAUDE_ALLOWED_TOOLS: "Read" } });
const serverFrames = new Map<string, z.ZodType>(ServerFrameSchema.options.map((o) => [o.shape.type.value, o]));

/** A session event carried in the envelope, or a server frame by its type. */
const extraOf = (f: Frame): string[] =>
  typeof f.seq === "number" ? extraFields(SessionEventSchema, f, "event") : extraFields(serverFrames.get(f.type) ?? SessionEventSchema, f, f.type);

test("a whole journey's frames carry only the fields their schemas name", async () => {
  const c = await d.open();
  const started = await c.request({ type: "streamStart", data: { prompt: "permission shapes.txt" } }, "streamStarted");
  const sid = started.sessionId!;
  const ask = await c.next((f) => f.sessionId === sid && f.type === "permissionRequest", 20_000);
  await c.request({ type: "permission", sessionId: sid, data: { permissionId: ask.data.permissionId, decision: "allow" } }, "ack");
  await c.next((f) => f.sessionId === sid && f.type === "streamComplete", 20_000);
  await c.next((f) => f.sessionId === sid && f.type === "sessionUpdate" && f.data.state === "idle", 20_000);
  await c.request({ type: "streamSend", sessionId: sid, data: { prompt: "long 200" } }, "ack");
  await c.next((f) => f.sessionId === sid && f.type === "streamComplete" && f.seq! > ask.seq!, 20_000);
  await c.request({ type: "ping" }, "pong");
  await c.request({ type: "sessions" }, "sessions");
  await c.request({ type: "nope" }, "error");
  await c.request({ type: "ask", data: { prompt: "reply" } }, "askResponse", 20_000);
  // A second socket: a batched replay from the start, then a live update.
  const other = await d.open();
  await other.request({ type: "subscribe", sessionId: sid, data: { lastSeq: 0, batch: true, omitStreamEvents: true } }, "replayComplete");
  await c.request({ type: "setModel", sessionId: sid, data: { model: "opus" } }, "ack");
  await other.next((f) => f.sessionId === sid && f.type === "sessionUpdate" && f.data.model === "opus");

  const frames = [...c.frames, ...other.frames, ...other.frames.filter((f) => f.type === "eventBatch").flatMap((f) => f.data.events as Frame[])];
  expect([...new Set(frames.map((f) => f.type))]).toEqual(
    expect.arrayContaining(["welcome", "streamStarted", "userMessage", "sessionUpdate", "streamData", "streamToolUse", "permissionRequest", "ack", "permissionResolved", "streamComplete", "claudeEvent", "pong", "sessions", "error", "askResponse", "eventBatch", "replayComplete"]),
  );
  expect(frames.flatMap(extraOf)).toEqual([]);
  expect([...c.invalid, ...other.invalid]).toEqual([]);
  await c.close();
  await other.close();
});
