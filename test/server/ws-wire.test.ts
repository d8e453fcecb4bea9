// What a streamed answer costs on the wire: text deltas coalesced into few events (the same ones on disk), and
// permessage-deflate negotiated with clients that offer it.
import { describe, expect, test } from "vitest";
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
