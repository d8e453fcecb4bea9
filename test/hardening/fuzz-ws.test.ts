// Fuzz of the WebSocket frames: every client frame type with hostile `data`, envelopes with wrong
// types, unknown types, malformed JSON and binary frames. Every frame the server sends must match the
// protocol schemas, every error must be a documented code (never INTERNAL), every frame with a
// requestId gets its reply, the socket stays open (only a frame over 1 MiB closes it, with 1009).
import { isUtf8 } from "node:buffer";
import fc from "fast-check";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLIENT_FRAMES, ERROR_CODES, ServerFrameSchema, SessionEventSchema, WS_MAX_PAYLOAD, type ErrorCode } from "../../src/protocol/index.js";
import type { TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";
import {
  anyString,
  field,
  FUZZ_SEED,
  images,
  jsonObject,
  jsonText,
  model,
  nastyString,
  permissionMode,
  polluter,
  prompt,
  quoted,
  resume,
  shapedObject,
  timeoutMs,
  uuidText,
  workingDirectory,
} from "./arbitraries.js";
import {
  collectGarbage,
  EVIL_CLAUDE,
  figure,
  finishFile,
  prototypePollution,
  prototypeSnapshot,
  raw,
  startTracked,
} from "./support.js";

const RUNS = Number(process.env.HARDENING_RUNS ?? 5000);
const SOCKETS = 4;
const HEAP_GROWTH_LIMIT = 96 * 1024 * 1024;

let d: TestDaemon;
let live: string[] = [];
let closedId = "";
const prototypes = prototypeSnapshot();
let heapBefore = 0;

const auth = () => ({ authorization: `Bearer ${d.daemon.masterToken()}` });

/** Keeps two open sessions (MAX_SESSIONS): a valid streamStart or ask is then refused without spawning. */
async function refillSessions(): Promise<void> {
  const list = JSON.parse((await raw(d.url, { path: "/api/sessions", headers: auth() })).text) as { sessions: { sessionId: string; state: string }[] };
  live = list.sessions.filter((s) => s.state !== "closed").map((s) => s.sessionId);
  while (live.length < 2) {
    const r = await raw(d.url, { method: "POST", path: "/api/stream/start", headers: { ...auth(), "content-type": "application/json" }, body: "{}" });
    live.push((JSON.parse(r.text) as { sessionId: string }).sessionId);
  }
}

beforeAll(async () => {
  d = await startTracked({ env: { CLAUDE_CLI_PATH: EVIL_CLAUDE, MAX_SESSIONS: "2" }, limits: { requestsPerMinute: 1e9, authFailuresPerMinute: 1e9 } });
  const r = await raw(d.url, { method: "POST", path: "/api/stream/start", headers: { ...auth(), "content-type": "application/json" }, body: "{}" });
  closedId = (JSON.parse(r.text) as { sessionId: string }).sessionId;
  await raw(d.url, { method: "DELETE", path: `/api/stream/${closedId}`, headers: auth() });
  await refillSessions();
  collectGarbage();
  heapBefore = process.memoryUsage().heapUsed;
});

afterAll(async () => {
  const leaks = await finishFile("fuzz-ws");
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

/** Why a frame from the server is not in the protocol (null when it is). */
function invalidFrame(frame: Record<string, unknown>): string | null {
  if (ServerFrameSchema.safeParse(frame).success) return null;
  if (typeof frame.seq === "number" && typeof frame.sessionId === "string") {
    const r = SessionEventSchema.safeParse(frame);
    return r.success ? null : r.error.message.slice(0, 300);
  }
  return `frame of type '${String(frame.type)}' matches no protocol schema`;
}

/** One fuzzing connection: validates every frame, resolves waits on a requestId, reconnects after a 1009. */
class FuzzSocket {
  socket!: WebSocket;
  readonly waiting = new Map<string, (frame: Record<string, unknown>) => void>();
  readonly problems: string[] = [];
  frames = 0;
  errors = new Map<string, number>();
  closes: number[] = [];
  private closed!: Promise<number>;

  async open(): Promise<void> {
    this.socket = new WebSocket(d.wsUrl, { headers: auth() });
    this.closed = new Promise((resolve) => this.socket.once("close", (code) => resolve(code)));
    this.socket.on("message", (data) => {
      this.frames++;
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      const problem = invalidFrame(frame);
      if (problem) this.problems.push(`${problem}: ${data.toString().slice(0, 200)}`);
      if (frame.type === "error") {
        const code = (frame.data as { code: ErrorCode }).code;
        this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        if (!ERROR_CODES.includes(code) || code === "INTERNAL") this.problems.push(`error code ${code}: ${data.toString().slice(0, 300)}`);
      }
      const id = typeof frame.requestId === "string" ? frame.requestId : undefined;
      const wake = id ? this.waiting.get(id) : undefined;
      if (wake) {
        this.waiting.delete(id!);
        wake(frame);
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("error", reject);
    });
  }

  /**
   * Sends `payload` (a binary frame when asked) and, when it carries our requestId, waits for its reply.
   * A frame over 1 MiB must close the socket with 1009, a text frame that is not UTF-8 with 1007 (RFC 6455);
   * the socket is then opened again.
   */
  async exchange(payload: string | Buffer, requestId: string | undefined, binary: boolean): Promise<void> {
    const bytes = Buffer.byteLength(payload);
    const invalidText = !binary && Buffer.isBuffer(payload) && !isUtf8(payload);
    const expectedClose = bytes > WS_MAX_PAYLOAD ? 1009 : invalidText ? 1007 : undefined;
    const reply = requestId && !expectedClose ? this.reply(requestId) : undefined;
    this.socket.send(payload, { binary });
    if (expectedClose) {
      const code = await this.closed;
      this.closes.push(code);
      if (code !== expectedClose) this.problems.push(`a ${bytes}-byte frame closed the socket with ${code}, not ${expectedClose}`);
      await this.open();
      return;
    }
    await reply;
    // A ping behind it: the socket is still open and the server still answers in order.
    await this.ping();
  }

  private seq = 0;
  async ping(): Promise<void> {
    const id = `barrier-${++this.seq}`;
    const pong = this.reply(id);
    this.socket.send(JSON.stringify({ type: "ping", requestId: id }));
    await pong;
  }

  private reply(id: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply to requestId ${id} within 15 s`));
      }, 15_000);
      this.waiting.set(id, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}

/** `arb` with probability `p`, else null. */
const sometimes = <T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: Math.round(p * 100), arbitrary: arb }, { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) });

/** The JSON text of a frame: envelope fields right or wrong, data shaped for the type or not. */
function frameArb(type: fc.Arbitrary<string>, data: fc.Arbitrary<string>, sessionRequired: boolean) {
  const sessionId = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...live).map((s) => JSON.stringify(s)) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(closedId)) },
    { weight: 2, arbitrary: quoted(uuidText) },
    { weight: 2, arbitrary: field(quoted(anyString)) },
  );
  return fc
    .record({
      type: fc.oneof({ weight: 19, arbitrary: type.map((t) => JSON.stringify(t)) }, { weight: 1, arbitrary: jsonText() }),
      ownRequestId: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      fuzzedRequestId: fc.oneof(quoted(anyString), jsonText(), fc.constant(JSON.stringify("r".repeat(129)))),
      sessionId: sometimes(sessionId, sessionRequired ? 0.95 : 0.2),
      seq: sometimes(fc.oneof(fc.integer().map(String), jsonText()), 0.05),
      data: sometimes(data, 0.92),
      extras: fc.array(fc.tuple(fc.constantFrom("__proto__", "constructor", "prototype", "extra"), polluter), { maxLength: 1 }),
      binary: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })
    .map((f) => {
      const fields: [string, string][] = [["type", f.type]];
      if (!f.ownRequestId) fields.push(["requestId", f.fuzzedRequestId]);
      if (f.sessionId !== null) fields.push(["sessionId", f.sessionId]);
      if (f.seq !== null) fields.push(["seq", f.seq]);
      if (f.data !== null) fields.push(["data", f.data]);
      fields.push(...f.extras);
      return { fields, ownRequestId: f.ownRequestId, binary: f.binary };
    });
}

const empty = fc.oneof({ weight: 6, arbitrary: fc.constant("{}") }, { weight: 4, arbitrary: jsonText() });
const dataByType: Record<keyof typeof CLIENT_FRAMES, fc.Arbitrary<string>> = {
  ping: fc.oneof(fc.constant("{}"), jsonText(["ts", "sessionId"])),
  ask: shapedObject({ prompt, workingDirectory, permissionMode, model, timeoutMs }),
  streamStart: shapedObject({ prompt, images, workingDirectory, permissionMode, model, resume }),
  streamSend: shapedObject({ prompt, images }),
  streamClose: empty,
  permission: shapedObject({
    permissionId: field(quoted(fc.oneof(uuidText, anyString, fc.constant("p".repeat(129))))),
    decision: field(quoted(fc.constantFrom("allow", "allowAlways", "deny", "maybe"))),
    message: field(quoted(anyString)),
    updatedInput: field(jsonObject(["answers"])),
  }),
  subscribe: shapedObject({ lastSeq: field(fc.constantFrom("0", "1", "-1", "1.5", "1e400", "9007199254740993", '"3"', "null", "100000")) }),
  unsubscribe: empty,
  interrupt: empty,
  sessions: empty,
  setPermissionMode: shapedObject({ mode: permissionMode }),
  setModel: shapedObject({ model: fc.oneof(model, fc.constant("null")) }),
  presence: shapedObject({ visible: field(fc.constantFrom("true", "false", "1", "null")), sessionId: field(quoted(fc.oneof(uuidText, anyString))) }),
};

const unknownType = fc.oneof(
  anyString,
  nastyString,
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "PING", "Ping", "streamstart", "error", "welcome", "pong", "ack", "x".repeat(65), ""),
);

/** Frames that are not even an envelope: not JSON, truncated, scalars, arrays, binary noise. */
const malformed = fc.oneof(
  anyString,
  jsonText(),
  fc.constantFrom("", "null", "[]", "{}", "{", '{"type":', '{"type":"ping"', "\uFEFF{}", '{"type":"ping"}garbage', '{"type":"ping","type":"ask"}'),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("latin1")),
);
/** Raw bytes, sent as a binary frame or as a text frame (then often not UTF-8). */
const malformedBytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from('{"type":"ping","data":{"x":"\xed\xa0\x80"}}', "latin1")),
);

describe.sequential("WebSocket fuzz", () => {
  test("every client frame type, unknown types and malformed frames", async () => {
    const sockets = Array.from({ length: SOCKETS }, () => new FuzzSocket());
    await Promise.all(sockets.map((s) => s.open()));
    let caseNo = 0;
    type Case = { text: string | Buffer; requestId?: string; binary: boolean };
    const targets: [string, () => fc.Arbitrary<Case>][] = [
      ...(Object.keys(CLIENT_FRAMES) as (keyof typeof CLIENT_FRAMES)[]).map(
        (type): [string, () => fc.Arbitrary<Case>] => [
            type,
            () =>
              frameArb(fc.constant(type), dataByType[type], CLIENT_FRAMES[type].session).map(({ fields, ownRequestId, binary }) => {
                const requestId = ownRequestId ? `c${++caseNo}` : undefined;
                const all = requestId ? [...fields, ["requestId", JSON.stringify(requestId)] as [string, string]] : fields;
                return { text: `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`, ...(requestId ? { requestId } : {}), binary };
              }),
          ],
      ),
      [
        "unknown type",
        () =>
          frameArb(unknownType, jsonText(), false).map(({ fields, binary }) => {
            const requestId = `c${++caseNo}`;
            const all = [...fields.filter(([k]) => k !== "requestId"), ["requestId", JSON.stringify(requestId)] as [string, string]];
            return { text: `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`, requestId, binary };
          }),
      ],
      [
        "malformed frame",
        () =>
          fc.oneof(
            { weight: 4, arbitrary: fc.tuple(malformed, fc.boolean()).map(([text, binary]) => ({ text: text as string | Buffer, binary })) },
            { weight: 1, arbitrary: fc.tuple(malformedBytes, fc.boolean()).map(([text, binary]) => ({ text: text as string | Buffer, binary })) },
          ),
      ],
    ];
    for (const [name, arb] of targets) {
      await refillSessions();
      const before = sockets.reduce((n, s) => n + s.frames, 0);
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(fc.array(arb(), { minLength: SOCKETS, maxLength: SOCKETS }), async (batch) => {
          await Promise.all(batch.map((c, i) => sockets[i]!.exchange(c.text, c.requestId, c.binary)));
          const problems = sockets.flatMap((s) => s.problems.splice(0));
          expect(problems).toEqual([]);
        }),
        { numRuns: Math.ceil(RUNS / SOCKETS), seed: FUZZ_SEED },
      );
      const ms = Date.now() - started;
      const errors: Record<string, number> = {};
      for (const s of sockets) for (const [code, n] of s.errors.entries()) errors[code] = (errors[code] ?? 0) + n;
      for (const s of sockets) s.errors.clear();
      figure("fuzz-ws", { target: name, cases: RUNS, ms, framesReceived: sockets.reduce((n, s) => n + s.frames, 0) - before, errors });
      expect(ms, name).toBeLessThan(60_000);
      expect((await raw(d.url, { path: "/health" })).status).toBe(200);
      expect(prototypePollution(prototypes), name).toEqual([]);
    }
    const closes = sockets.flatMap((s) => s.closes);
    figure("fuzz-ws-closes", { closedWith1009: closes.filter((c) => c === 1009).length, closedWith1007: closes.filter((c) => c === 1007).length });
    await Promise.all(sockets.map((s) => s.close()));
  }, 900_000);

  test("after the fuzz: health 200, no INTERNAL logged, heap bounded", async () => {
    expect((await raw(d.url, { path: "/health" })).status).toBe(200);
    expect(d.logs.filter((l) => l.includes('"unhandled error"'))).toEqual([]);
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    figure("fuzz-ws-heap", { heapBeforeMb: Math.round(heapBefore / 2 ** 20), heapGrowthMb: Math.round(growth / 2 ** 20) });
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
  });
});
