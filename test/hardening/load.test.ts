// Load with exact delivery: 20 sessions streaming, 3 clients each, every client dropped and resubscribed
// at random (seeded) while the events flow. Every client ends with seq 1..n of its session, each event
// byte for byte the REST history, none twice; RSS stays bounded; after close, file descriptors are back
// to the baseline and no Claude process is left.
import WebSocket from "ws";
import { afterAll, describe, expect, test, vi } from "vitest";
import { ServerFrameSchema, SessionEventSchema } from "../../src/protocol/index.js";
import type { TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";
import { childProcesses, fdTargets, figure, finishFile, openFds, raw, startTracked } from "./support.js";

const SESSIONS = 20;
const CLIENTS_PER_SESSION = 3;
/** Each session runs two turns of `rate 40 400`: 400 deltas at 40 a second, about 20 s of streaming. */
const TURN = "rate 40 400";
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024;
const FD_SLACK = 5;

afterAll(async () => {
  const leaks = await finishFile("load");
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

/** mulberry32: a small seeded PRNG, so the disconnect schedule is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A phone following one session: applies events strictly in seq order (anything else is a violation,
 * never silently dropped), and when its socket drops, reconnects and subscribes with the last seq applied.
 */
class Follower {
  last = 0;
  readonly json = new Map<number, string>();
  readonly violations: string[] = [];
  drops = 0;
  resubscribes = 0;
  frames = 0;
  private ws: WebSocket | undefined;
  private unsubscribed: (() => void) | undefined;
  private n = 0;

  constructor(
    private readonly d: TestDaemon,
    readonly sessionId: string,
    private readonly random: () => number,
  ) {}

  async connect(): Promise<void> {
    // Plain frames as before permessage-deflate was offered (test/server/ws-wire.test.ts covers deflate).
    const ws = new WebSocket(this.d.wsUrl, { headers: { authorization: `Bearer ${this.d.token}` }, perMessageDeflate: false });
    this.ws = ws;
    ws.on("message", (data) => {
      // Frames of a socket this client gave up on are not applied (it may still be flushing).
      if (this.ws === ws) this.onFrame(data.toString());
    });
    ws.on("error", () => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.subscribe();
  }

  private subscribe(): void {
    this.ws!.send(JSON.stringify({ type: "subscribe", requestId: `sub${++this.n}`, sessionId: this.sessionId, data: { lastSeq: this.last } }));
  }

  private onFrame(text: string): void {
    this.frames++;
    const f = JSON.parse(text) as { type: string; seq?: number; sessionId?: string; data?: { command?: string } };
    if (typeof f.seq === "number") {
      if (!SessionEventSchema.safeParse(f).success) this.violations.push(`invalid event ${text.slice(0, 200)}`);
    } else if (!ServerFrameSchema.safeParse(f).success) this.violations.push(`invalid frame ${text.slice(0, 200)}`);
    if (f.type === "error" || f.type === "sessionSnapshot") this.violations.push(`unexpected ${f.type}: ${text.slice(0, 200)}`);
    if (f.type === "ack" && f.data?.command === "unsubscribe") this.unsubscribed?.();
    if (f.sessionId !== this.sessionId || typeof f.seq !== "number") return;
    if (f.seq !== this.last + 1) {
      this.violations.push(`seq ${f.seq} after ${this.last} (${f.seq <= this.last ? "duplicate" : "gap"})`);
      if (f.seq <= this.last) return;
    }
    this.last = f.seq;
    this.json.set(f.seq, text);
  }

  /** Drops and comes back at random until `done()`: abrupt terminate, clean close, or unsubscribe + subscribe on the same socket. */
  async chaos(done: () => boolean): Promise<void> {
    while (!done()) {
      // The load pattern itself: how long a phone stays connected (0.3 to 2.5 s).
      await pause(300 + this.random() * 2200);
      if (done()) break;
      if (this.ws?.readyState !== WebSocket.OPEN) {
        // The server closed it (it should not): counted, and the client comes back like a phone would.
        this.violations.push(`socket closed by the server (state ${this.ws?.readyState})`);
        await this.connect();
        continue;
      }
      const kind = this.random();
      if (kind < 0.7) {
        const ws = this.ws!;
        this.ws = undefined;
        if (kind < 0.4) ws.terminate();
        else ws.close();
        this.drops++;
        // Offline for 20 to 300 ms, then back with the last seq.
        await pause(20 + this.random() * 280);
        await this.connect();
      } else {
        // Same socket: once the unsubscribe is acknowledged no frame of the session follows, then resume.
        const acked = new Promise<void>((resolve) => (this.unsubscribed = resolve));
        this.ws!.send(JSON.stringify({ type: "unsubscribe", requestId: `un${++this.n}`, sessionId: this.sessionId }));
        const timedOut = await Promise.race([acked.then(() => false), pause(10_000).then(() => true)]);
        if (timedOut) this.violations.push("unsubscribe not acknowledged within 10 s");
        this.resubscribes++;
        this.subscribe();
      }
    }
  }

  async close(): Promise<void> {
    const ws = this.ws;
    this.ws = undefined;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((r) => ws.once("close", r));
    ws.close();
    await closed;
  }
}

describe("load", () => {
  test(`${SESSIONS} sessions x ${CLIENTS_PER_SESSION} clients, random drops and resubscribes: nothing lost, nothing twice`, async () => {
    const fdsBefore = openFds();
    const rssBefore = process.memoryUsage().rss;
    const d = await startTracked({
      env: { MAX_SESSIONS: String(SESSIONS) },
      limits: { requestsPerMinute: 1e9, maxSocketsPerAddress: SESSIONS * CLIENTS_PER_SESSION + 10 },
    });
    const headers = { authorization: `Bearer ${d.token}`, "content-type": "application/json" };
    const started = Date.now();
    let rssPeak = rssBefore;
    let childrenPeak = 0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      childrenPeak = Math.max(childrenPeak, childProcesses().length);
    }, 500);

    const ids: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const r = await raw(d.url, { method: "POST", path: "/api/stream/start", headers, body: JSON.stringify({ prompt: TURN }) });
      expect(r.status).toBe(201);
      const id = (JSON.parse(r.text) as { sessionId: string }).sessionId;
      expect((await raw(d.url, { method: "POST", path: `/api/stream/${id}`, headers, body: JSON.stringify({ prompt: TURN }) })).status).toBe(202);
      ids.push(id);
    }
    const random = prng(0x10ad);
    const followers = ids.flatMap((id) => Array.from({ length: CLIENTS_PER_SESSION }, () => new Follower(d, id, prng(Math.floor(random() * 2 ** 32)))));
    await Promise.all(followers.map((f) => f.connect()));

    let finished = false;
    const chaos = Promise.all(followers.map((f) => f.chaos(() => finished)));
    // Both turns of every session are over.
    const finalSeq = new Map<string, number>();
    await vi.waitFor(
      async () => {
        const list = JSON.parse((await raw(d.url, { path: "/api/sessions", headers })).text) as {
          sessions: { sessionId: string; state: string; queueLength: number; lastSeq: number; lastResult: { promptIds: string[] } | null; messageCount: number }[];
        };
        for (const s of list.sessions) {
          if (s.state === "idle" && s.queueLength === 0 && s.messageCount === 2 && s.lastResult) finalSeq.set(s.sessionId, s.lastSeq);
        }
        expect(finalSeq.size).toBe(SESSIONS);
      },
      { timeout: 90_000, interval: 500 },
    );
    const streamingMs = Date.now() - started;
    finished = true;
    await chaos;
    // Every client catches up with the last seq of its session.
    await vi.waitFor(() => {
      for (const f of followers) expect(f.last).toBe(finalSeq.get(f.sessionId));
    }, { timeout: 30_000, interval: 100 });

    let checked = 0;
    for (const id of ids) {
      const page = JSON.parse((await raw(d.url, { path: `/api/sessions/${id}/events?limit=5000`, headers })).text) as { events: { seq: number }[]; hasMore: boolean; gap: boolean };
      expect(page.hasMore).toBe(false);
      expect(page.gap).toBe(false);
      const restJson = page.events.map((e) => JSON.stringify(e));
      expect(page.events.map((e) => e.seq)).toEqual(Array.from({ length: finalSeq.get(id)! }, (_, i) => i + 1));
      expect(page.events.filter((e) => (e as unknown as { type: string }).type === "streamComplete")).toHaveLength(2);
      for (const f of followers.filter((x) => x.sessionId === id)) {
        expect(f.violations).toEqual([]);
        // What the client applied is the history, byte for byte (parsed and serialised the same way).
        const applied = [...f.json.values()].map((t) => JSON.stringify(JSON.parse(t)));
        expect(applied).toEqual(restJson);
        checked += applied.length;
      }
    }
    clearInterval(sampler);
    const drops = followers.reduce((n, f) => n + f.drops, 0);
    const resubscribes = followers.reduce((n, f) => n + f.resubscribes, 0);
    expect(drops).toBeGreaterThan(SESSIONS);
    expect(resubscribes).toBeGreaterThan(SESSIONS / 2);
    expect(childrenPeak).toBeLessThanOrEqual(SESSIONS);

    await Promise.all(followers.map((f) => f.close()));
    await d.close();
    // Nothing left behind: no Claude process, the descriptors of the sockets and pipes closed.
    await vi.waitFor(() => expect(childProcesses().filter((c) => /claude/.test(c.cmdline))).toEqual([]), { timeout: 15_000 });
    await vi.waitFor(() => expect(openFds(), fdTargets().join("\n")).toBeLessThanOrEqual(fdsBefore + FD_SLACK), { timeout: 15_000 });
    const fdsAfter = openFds();
    figure("load", {
      sessions: SESSIONS,
      clients: followers.length,
      streamingMs,
      eventsPerSession: Math.round([...finalSeq.values()].reduce((a, b) => a + b, 0) / SESSIONS),
      eventsChecked: checked,
      drops,
      resubscribes,
      lost: 0,
      duplicated: 0,
      rssBeforeMb: Math.round(rssBefore / 2 ** 20),
      rssPeakMb: Math.round(rssPeak / 2 ** 20),
      claudeProcessesPeak: childrenPeak,
      fdsBefore,
      fdsAfter,
    });
    expect(rssPeak - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
  }, 180_000);
});
