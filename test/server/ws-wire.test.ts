// What a streamed answer costs on the wire: text deltas coalesced into few events (the same ones on disk), and
// permessage-deflate negotiated with clients that offer it.
import { connect, type Socket } from "node:net";
import { constants, inflateRawSync } from "node:zlib";
import { describe, expect, test, vi } from "vitest";
import { WS_DEFLATE_THRESHOLD } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs, type Frame, type TestWsClient } from "../helpers/ws-client.js";

const d = useTestDaemon({ env: { CLAUDE_ALLOWED_TOOLS: "Read" } });

const open = async (perMessageDeflate: boolean) => {
  const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` }, perMessageDeflate });
  await c.next("welcome");
  return c;
};
const deltasOf = (frames: Frame[], sid: string) => frames.filter((f) => f.sessionId === sid && f.type === "streamData" && f.data.kind === "delta");
const restEvents = async (sid: string) =>
  ((await (await fetch(`${d.url}/api/sessions/${sid}/events?limit=5000`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as { events: Frame[] }).events;

async function streamLong(c: TestWsClient, n: number): Promise<{ sid: string; bytes: number }> {
  // Bytes off the TCP socket, compressed or not.
  const tcp = (c.socket as unknown as { _socket: { bytesRead: number } })._socket;
  const before = tcp.bytesRead;
  c.send({ type: "streamStart", requestId: "s", data: { prompt: `long ${n}` } });
  const sid = (await c.next((f) => f.requestId === "s" && f.type === "streamStarted")).sessionId!;
  await c.next((f) => f.sessionId === sid && f.type === "streamComplete", 30_000);
  return { sid, bytes: tcp.bytesRead - before };
}

describe("text deltas on the wire", () => {
  test("5 000 token deltas arrive as a few coalesced events with the same text, and the log on disk holds those events", async () => {
    const c = await open(false);
    const { sid } = await streamLong(c, 5000);
    const deltas = deltasOf(c.frames, sid);
    expect(deltas.map((f) => f.data.text).join("")).toBe("x".repeat(5000));
    // One event per 12 ms or 4 KiB at most, instead of one per token.
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThan(500);
    // In seq order without holes, exactly what REST (read from the log) returns.
    const seqs = c.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number").map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(deltasOf(await restEvents(sid), sid).map((f) => f.data.text)).toEqual(deltas.map((f) => f.data.text));
    expect(c.invalid).toEqual([]);
    await c.close();
  });
});

describe("permessage-deflate", () => {
  test("negotiated when the client offers it, not otherwise; the compressed stream decodes to the same events", async () => {
    const plain = await open(false);
    const packed = await open(true);
    expect(plain.socket.extensions).toBe("");
    expect(packed.socket.extensions).toContain("permessage-deflate");
    const a = await streamLong(plain, 3000);
    const b = await streamLong(packed, 3000);
    expect(deltasOf(packed.frames, b.sid).map((f) => f.data.text).join("")).toBe("x".repeat(3000));
    // The same answer costs fewer bytes compressed (the repeated envelope and the text both shrink).
    expect(b.bytes).toBeLessThan(a.bytes / 2);
    expect(packed.invalid).toEqual([]);
    await plain.close();
    await packed.close();
  });
});

/** A raw WebSocket over TCP that offers permessage-deflate and reads each server frame's RSV1 bit (set = compressed). */
async function rawDeflateSocket(url: string, token: string) {
  const { hostname, port } = new URL(url);
  const sock: Socket = connect(Number(port), hostname);
  let buf = Buffer.alloc(0);
  let upgraded = false;
  const frames: { compressed: boolean; payload: Buffer }[] = [];
  sock.on("data", (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    if (!upgraded) {
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      upgraded = true;
      buf = buf.subarray(end + 4);
    }
    for (;;) {
      if (buf.length < 2) return;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) [len, at] = [buf.readUInt16BE(2), 4];
      else if (len === 127) [len, at] = [Number(buf.readBigUInt64BE(2)), 10];
      if (buf.length < at + len) return;
      frames.push({ compressed: (buf[0]! & 0x40) !== 0, payload: buf.subarray(at, at + len) });
      buf = buf.subarray(at + len);
    }
  });
  await new Promise<void>((resolve, reject) => sock.once("connect", resolve).once("error", reject));
  sock.write(
    `GET /ws HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Key: ${Buffer.from("0123456789abcdef").toString("base64")}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n` +
      `Authorization: Bearer ${token}\r\n\r\n`,
  );
  /** A client text frame (masked, not compressed: a client may send either). */
  const send = (frame: object) => {
    const data = Buffer.from(JSON.stringify(frame));
    const mask = Buffer.from([1, 2, 3, 4]);
    const head = data.length < 126 ? Buffer.from([0x81, 0x80 | data.length]) : Buffer.from([0x81, 0x80 | 126, data.length >> 8, data.length & 0xff]);
    sock.write(Buffer.concat([head, mask, Buffer.from(data.map((b, i) => b ^ mask[i % 4]!))]));
  };
  return { frames, send, close: () => sock.destroy() };
}

describe("permessage-deflate's threshold", () => {
  test(`frames under ${WS_DEFLATE_THRESHOLD} bytes go plain, larger ones compressed`, async () => {
    const ws = await rawDeflateSocket(d.url, d.token);
    await vi.waitFor(() => expect(ws.frames.length).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 20 });
    // welcome: small, plain.
    expect(ws.frames[0]!.compressed).toBe(false);
    expect(JSON.parse(ws.frames[0]!.payload.toString()).type).toBe("welcome");
    // streamStarted carries a SessionInfo (well over the threshold): the first compressed frame (so it inflates alone),
    // while the small frames around it (sessionNotice, sessionUpdate, replayComplete) go plain.
    ws.send({ type: "streamStart", requestId: "s", data: {} });
    await vi.waitFor(() => expect(ws.frames.some((f) => !f.compressed && f.payload.toString().includes('"replayComplete"'))).toBe(true), { timeout: 10_000, interval: 20 });
    const packed = ws.frames.filter((f) => f.compressed);
    expect(packed.length).toBeGreaterThan(0);
    const json = inflateRawSync(packed[0]!.payload, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
    expect(Buffer.byteLength(json)).toBeGreaterThanOrEqual(WS_DEFLATE_THRESHOLD);
    expect(JSON.parse(json)).toMatchObject({ type: "streamStarted", requestId: "s" });
    expect(ws.frames.filter((f) => !f.compressed).every((f) => f.payload.length < WS_DEFLATE_THRESHOLD)).toBe(true);
    // A pong is small: plain again, even after compressed frames.
    const before = ws.frames.length;
    ws.send({ type: "ping", requestId: "p" });
    await vi.waitFor(() => expect(ws.frames.slice(before).some((f) => !f.compressed && f.payload.toString().includes('"pong"'))).toBe(true), { timeout: 10_000, interval: 20 });
    ws.close();
  });
});
