// A scripted daemon for page-only e2e tests: REST and /ws answered inside the browser (page.route, page.routeWebSocket).
import type { Page, WebSocketRoute } from "playwright-core";
import { vi } from "vitest";

export interface StubSession {
  info: Record<string, unknown> & { sessionId: string };
  /** Event frames without seq/ts/sessionId; numbered 1, 2, 3 … */
  events: { type: string; data: unknown }[];
}

export interface StubDaemon {
  /** Every client frame the page sent (type, sessionId, data). */
  sent: { type: string; sessionId?: string; data?: unknown }[];
  /** Sends live events of a session (numbered after the scripted ones). */
  live(sessionId: string, events: { type: string; data: unknown }[]): void;
  /** Waits until the page sent a frame of this type (bounded). */
  waitForSent(type: string, timeoutMs?: number): Promise<{ type: string; sessionId?: string; data?: unknown }>;
}

export const sessionInfo = (sessionId: string, patch: Record<string, unknown> = {}) => ({
  sessionId,
  state: "idle",
  workingDirectory: "/home/me/app",
  permissionMode: "default",
  createdAt: 1,
  lastActivity: Date.now(),
  messageCount: 1,
  queueLength: 0,
  lastSeq: 0,
  pendingPermissions: [],
  process: null,
  lastResult: null,
  ...patch,
});

/** Pairs the page with the stub (`#pair=`) and serves the sessions; returns a handle to script the rest. */
export async function stubDaemon(page: Page, baseUrl: string, sessions: StubSession[]): Promise<StubDaemon> {
  const seqs = new Map(sessions.map((s) => [s.info.sessionId, 0]));
  const sent: StubDaemon["sent"] = [];
  let socket: WebSocketRoute | null = null;
  const frame = (sessionId: string, e: { type: string; data: unknown }) => {
    const seq = (seqs.get(sessionId) ?? 0) + 1;
    seqs.set(sessionId, seq);
    return JSON.stringify({ seq, sessionId, ts: Date.now(), ...e });
  };
  const infos = () => sessions.map((s) => s.info);
  await page.route("**/api/pair", (r) => r.fulfill({ json: { deviceId: "d1", deviceToken: "stub-device-token-0123456789", deviceName: "Android Chrome" } }));
  await page.route("**/api/info", (r) => r.fulfill({ json: {} }));
  await page.route("**/api/sessions", (r) => r.fulfill({ json: { sessions: infos() } }));
  await page.routeWebSocket("**/ws", (ws) => {
    socket = ws;
    ws.send(JSON.stringify({ type: "welcome", data: { serverVersion: "stub", protocolVersion: 1, connectionId: "c1", heartbeatMs: 30000 } }));
    ws.onMessage((raw) => {
      const f = JSON.parse(String(raw)) as { type: string; requestId: string; sessionId?: string; data?: Record<string, unknown> };
      sent.push({ type: f.type, ...(f.sessionId ? { sessionId: f.sessionId } : {}), data: f.data });
      const reply = (type: string, data: unknown) => ws.send(JSON.stringify({ type, requestId: f.requestId, ...(f.sessionId ? { sessionId: f.sessionId } : {}), data }));
      switch (f.type) {
        case "sessions":
          return reply("sessions", { sessions: infos() });
        case "subscribe": {
          const s = sessions.find((x) => x.info.sessionId === f.sessionId);
          if (!s) return reply("error", { code: "SESSION_NOT_FOUND", message: "No such session", details: {} });
          seqs.set(s.info.sessionId, 0);
          for (const e of s.events) ws.send(frame(s.info.sessionId, e));
          return reply("replayComplete", { fromSeq: 1, toSeq: s.events.length, gap: false, pendingPermissions: [] });
        }
        case "streamStart":
          return reply("streamStarted", sessionInfo("33333333-3333-4333-8333-333333333333", { state: "created" }));
        default:
          return reply("ack", { command: f.type });
      }
    });
  });
  await page.goto(`${baseUrl}/#pair=stub-pairing-code-0123`);
  return {
    sent,
    live(sessionId, events) {
      for (const e of events) socket?.send(frame(sessionId, e));
    },
    waitForSent(type, timeoutMs = 10_000) {
      return vi.waitFor(
        () => {
          const hit = sent.find((f) => f.type === type);
          if (!hit) throw new Error(`the page sent no ${type} frame`);
          return hit;
        },
        { timeout: timeoutMs, interval: 50 },
      );
    },
  };
}
