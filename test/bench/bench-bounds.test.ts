// The benchmark's own safety (bench/lib): a turn's frames seen by one listener, a row past its time bound fails with
// what it waited for and its processes killed by pid, processes a row leaves running are reaped. Functional, not timed.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { reapLeftovers, withinBound } from "../../bench/lib/bound.mjs";
import { descendants, spawnTracked, stopChild, takeOrphans, waitForLine } from "../../bench/lib/procs.mjs";
import { turnOf } from "../../bench/lib/turn.mjs";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const IDLE = "setInterval(() => {}, 1e6)";
// A node that starts an idle grandchild, prints its pid, then idles.
const PARENT = `const c = require("child_process").spawn(process.execPath, ["-e", ${JSON.stringify(IDLE)}], { stdio: "ignore" }); console.log("child " + c.pid); ${IDLE}`;

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A ws server that answers a streamStart with the turn's frames in ONE socket write (a loaded daemon does), then, on "next", a marker frame. */
async function oneWriteTurnServer(): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  servers.push(wss);
  await once(wss, "listening");
  wss.on("connection", (ws) => {
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { type: string; requestId?: string };
      if (msg.type === "next") return ws.send(JSON.stringify({ type: "marker" }));
      const sid = "s-1";
      const socket = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
      socket.cork();
      ws.send(JSON.stringify({ type: "streamStarted", requestId: msg.requestId, sessionId: sid }));
      ws.send(JSON.stringify({ type: "streamData", sessionId: sid, data: { kind: "delta", text: "Hello" } }));
      ws.send(JSON.stringify({ type: "streamComplete", sessionId: sid, data: {} }));
      socket.uncork();
    });
  });
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await once(ws, "open");
  return ws;
}

describe("bench: the session row's turn", () => {
  test("turnOf sees the streamComplete that arrives in the same read as the first streamData", async () => {
    const ws = await open(await oneWriteTurnServer());
    const turn = turnOf(ws, "r-1", 10_000);
    ws.send(JSON.stringify({ type: "streamStart", requestId: "r-1" }));
    const res = await turn;
    expect(res.sessionId).toBe("s-1");
    expect(res.completeAt).toBeGreaterThanOrEqual(res.firstDataAt);
    ws.close();
  });

  test("a listener added after the first streamData never sees that streamComplete (why the old row hung)", async () => {
    const ws = await open(await oneWriteTurnServer());
    const firstData = new Promise<void>((resolve) => ws.on("message", (d) => String(d).includes('"streamData"') && resolve()));
    ws.send(JSON.stringify({ type: "streamStart", requestId: "r-2" }));
    await firstData;
    const late: string[] = [];
    ws.on("message", (d) => late.push(JSON.parse(String(d)).type as string));
    ws.send(JSON.stringify({ type: "next" }));
    await new Promise<void>((resolve) => ws.on("message", (d) => String(d).includes('"marker"') && resolve()));
    expect(late).toEqual(["marker"]);
    ws.close();
  });
});

describe("bench: time bounds", () => {
  test("a row past its bound fails with what it was waiting for, and its child and grandchild are killed by pid", async () => {
    let pids: number[] = [];
    const row = async () => {
      const child = spawnTracked(process.execPath, ["-e", PARENT], { stdio: ["ignore", "pipe", "pipe"] });
      const grandchild = Number((await waitForLine(child, /child (\d+)\n/, 10_000))[1]);
      pids = [child.pid!, grandchild];
      await waitForLine(child, /a line that never comes/, 600_000);
    };
    const error = await withinBound("demo", 2, row).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/^demo: no result within 2 s; it was waiting for: a line matching \/a line that never comes\/ from pid \d+/);
    expect(error?.message).toContain("killed 2 processes");
    expect(pids).toHaveLength(2);
    await expect.poll(() => pids.filter(alive), { timeout: 5_000 }).toEqual([]);
  }, 20_000);

  test("a row that returns while its process still runs: the process is reported and killed", async () => {
    const child = spawnTracked(process.execPath, ["-e", `console.log("up"); ${IDLE}`], { stdio: ["ignore", "pipe", "pipe"] });
    await withinBound("leaky", 10, () => waitForLine(child, /up\n/, 10_000));
    const left = await reapLeftovers(200);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(new RegExp(`^${child.pid} \\S+ \\d+s .*setInterval`));
    await expect.poll(() => alive(child.pid!), { timeout: 5_000 }).toBe(false);
    expect(descendants(process.pid).filter((p) => p === child.pid)).toEqual([]);
  }, 20_000);
});

describe("bench: stopping a child", () => {
  test("what a stopped child left running (orphaned) is killed by pid and reported", async () => {
    // A parent that exits on SIGTERM without stopping its child.
    const child = spawnTracked(process.execPath, ["-e", `process.on("SIGTERM", () => process.exit(0)); ${PARENT}`], { stdio: ["ignore", "pipe", "pipe"] });
    const grandchild = Number((await waitForLine(child, /child (\d+)\n/, 10_000))[1]);
    await stopChild(child);
    const orphans = takeOrphans();
    expect(orphans).toHaveLength(1);
    expect(orphans[0]).toMatch(new RegExp(`^${grandchild} `));
    await expect.poll(() => alive(grandchild), { timeout: 5_000 }).toBe(false);
    expect(takeOrphans()).toEqual([]);
  }, 20_000);
});
