// The seed's keep-alive: a WebSocket ping naming a session refreshes its idle timer (SESSION_TIMEOUT), so its process stays.
import { describe, expect, test } from "vitest";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs, type TestWsClient } from "../helpers/ws-client.js";

const d = useTestDaemon({ lazy: true, env: { SESSION_TIMEOUT: "3000" } });

async function startIdleSession(): Promise<{ c: TestWsClient; sid: string }> {
  await d.start();
  const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
  await c.next("welcome");
  c.send({ type: "streamStart", requestId: "s", data: { prompt: "reply" } });
  const sid = (await c.next((f) => f.requestId === "s" && f.type === "streamStarted")).sessionId!;
  await c.next((f) => f.type === "streamComplete" && f.sessionId === sid);
  return { c, sid };
}

const info = async (sid: string) => (await (await fetch(`${d.url}/api/sessions/${sid}`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as any;

describe("keep-alive ping with a sessionId", () => {
  test("a session pinged every second keeps its process past 6 s with SESSION_TIMEOUT=3000", async () => {
    const { c, sid } = await startIdleSession();
    const started = Date.now();
    let n = 0;
    while (Date.now() - started < 6500) {
      c.send({ type: "ping", requestId: `p${++n}`, sessionId: sid, data: {} });
      expect((await c.next((f) => f.requestId === `p${n}`)).type).toBe("pong");
      await new Promise((r) => setTimeout(r, 1000));
    }
    const s = await info(sid);
    expect(s.state).toBe("idle");
    expect(s.process).not.toBeNull();
    await c.close();
  }, 20_000);

  test("without pings the same session is stopped after its timeout", async () => {
    const { c, sid } = await startIdleSession();
    const closed = await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "closed", 10_000);
    expect(closed.data.reason).toBe("idle-timeout");
    expect((await info(sid)).process).toBeNull();
    await c.close();
  }, 20_000);
});
