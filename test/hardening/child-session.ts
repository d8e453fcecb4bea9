// What the fault tests read from a child daemon: a session's events as REST serves them, /health, and the frames a client holds.
import { expect } from "vitest";
import type { Frame, TestWsClient } from "../helpers/ws-client.js";
import type { ChildDaemon } from "./child-daemon.js";
import { raw } from "./support.js";

export const auth = (d: ChildDaemon) => ({ headers: { authorization: `Bearer ${d.token}` } });

/** The frames of `sid` with a seq the client received, in order. */
export const seqFrames = (c: TestWsClient, sid: string) => c.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");

/** A frame as the log holds it (the requestId is the client's, not the event's). */
export const strip = ({ requestId: _r, ...f }: Frame) => f;

/** The session's log (up to 5 000 events), a fresh connection each call (the daemon may have just restarted). */
export async function history(d: ChildDaemon, sid: string): Promise<Frame[]> {
  const r = await raw(d.url, { path: `/api/sessions/${sid}/events?limit=5000`, headers: auth(d).headers, keepAlive: false });
  expect(r.status).toBe(200);
  return (JSON.parse(r.text) as { events: Frame[] }).events;
}

/** The daemon's /health status ("ok", "degraded"). */
export async function health(d: ChildDaemon): Promise<string> {
  return (JSON.parse((await raw(d.url, { path: "/health", keepAlive: false })).text) as { status: string }).status;
}
