// Connection management: heartbeat, slow consumers, per-address socket cap, Origin on the upgrade.
import { describe, expect, test, vi } from "vitest";
import WebSocket from "ws";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs, type Frame } from "../helpers/ws-client.js";

const d = useTestDaemon({ lazy: true });

describe("connection management", () => {
  test("the heartbeat terminates a peer that stops answering pings", async () => {
    await d.start({ limits: { heartbeatMs: 100 } });
    const silent = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` }, autoPong: false });
    const alive = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
    const { code } = await silent.closed;
    expect(code).toBe(1006);
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    await alive.close();
  });

  test("a slow consumer is cut off with 1013 at the limit and resumes by seq with nothing lost", async () => {
    // Many small events (deltas not coalesced) make the flood; coalesced, the whole text would be one 40 KB event.
    await d.start({ limits: { maxBufferedBytes: 64 * 1024 }, eventLogLimits: { deltaFlushMs: 0 } });
    const auth = { headers: { authorization: `Bearer ${d.token}` } };
    const fast = await connectWs(d.wsUrl, auth);
    fast.send({ type: "streamStart", requestId: "s", data: {} });
    const sid = (await fast.next("streamStarted")).sessionId!;
    const slow = await connectWs(d.wsUrl, auth);
    slow.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: 0 } });
    await slow.next("replayComplete");
    // Stop reading: the server's send buffer for this socket grows.
    const raw = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    // Enough to overflow the kernel's socket buffers too: live events are written in large batches, which
    // loopback TCP buffers far more of (up to tcp_wmem, 4 MB) than of single small frames.
    fast.send({ type: "streamSend", requestId: "go", sessionId: sid, data: { prompt: "long 40000" } });
    await vi.waitFor(() => expect(d.logs.some((l) => l.includes("slow consumer disconnected"))).toBe(true), { timeout: 20_000 });
    raw.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(1013);
    const seen = slow.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
    const lastSeq = seen.at(-1)?.seq ?? 0;
    await fast.next((f) => f.type === "streamComplete", 30_000);
    const again = await connectWs(d.wsUrl, auth);
    again.send({ type: "subscribe", requestId: "resume", sessionId: sid, data: { lastSeq } });
    const done = await again.next((f: Frame) => f.type === "replayComplete");
    const all = [...seen, ...again.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number")].map((f) => f.seq);
    expect(all).toEqual(Array.from({ length: done.data.toSeq }, (_, i) => i + 1));
    await again.close();
    await fast.close();
  }, 60_000);

  test("too many sockets from one address are refused with 429", async () => {
    await d.start({ limits: { maxSocketsPerAddress: 3 } });
    const auth = { headers: { authorization: `Bearer ${d.token}` } };
    const open = await Promise.all([1, 2, 3].map(() => connectWs(d.wsUrl, auth)));
    await expect(connectWs(d.wsUrl, auth)).rejects.toMatchObject({ status: 429 });
    await open[0]!.close();
    await vi.waitFor(async () => {
      const c = await connectWs(d.wsUrl, auth);
      await c.close();
    });
    await Promise.all(open.slice(1).map((c) => c.close()));
  });

  test("a cross-site Origin is refused before the upgrade; the server's own origin is accepted", async () => {
    await d.start();
    const headers = { authorization: `Bearer ${d.token}` };
    await expect(connectWs(d.wsUrl, { headers: { ...headers, origin: "http://evil.example.com" } })).rejects.toMatchObject({ status: 403 });
    await expect(connectWs(d.wsUrl, { headers: { ...headers, host: "evil.example.com" } })).rejects.toMatchObject({ status: 421 });
    const own = await connectWs(d.wsUrl, { headers, origin: new URL(d.url).origin });
    await own.next("welcome");
    await own.close();
  });
});
