// Notifications with the REAL Claude Code CLI: an ntfy publish's Allow URL writes the file, reuse is refused, Deny denies.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { realClaudeInstalled } from "../helpers/fake-api.js";
import { startFakeNtfy, type FakeNtfy, type Received } from "../helpers/fake-ntfy.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";

const LONG = 90_000;
let ntfy: FakeNtfy;
beforeAll(async () => {
  ntfy = await startFakeNtfy();
});
afterAll(() => ntfy?.close());
const d = useRealCliDaemon(
  {
    env: { CLAUDE_ALLOWED_TOOLS: "Read" },
    setup: async (t) => {
      const add = await t.rest("POST", "/api/notify/channels", { type: "ntfy", url: `${ntfy.url}/phone`, replyTopic: false });
      expect(add.status).toBe(201);
    },
  },
  { timeoutMs: LONG },
);
const { rest } = d;
/** The session's events once its `turns`-th turn has ended. */
const untilDone = (id: string, turns: number) =>
  vi.waitFor(
    async () => {
      const events = (await rest("GET", `/api/sessions/${id}/events?limit=5000`)).body.events as { type: string; data: any }[];
      expect(events.filter((e) => e.type === "streamComplete"), `turn ${turns} of ${id} did not end`).toHaveLength(turns);
      return events;
    },
    { timeout: LONG, interval: 100 },
  );
const withActions = (r: Received) => Array.isArray(r.json?.actions) && r.json.actions.length > 0;

describe.skipIf(!realClaudeInstalled())("ntfy action URLs answer the real CLI's permission", () => {
  test("one publish with Allow; its URL writes the file; calling it again is refused with ACTION_URL_USED; a second permission's Deny denies", async () => {
    const file = join(d.workDir, "notified-allow.txt");
    const start = await rest("POST", "/api/stream/start", { prompt: `please WRITEFILE ${file}` });
    expect(start.status).toBe(201);
    const sid = start.body.sessionId as string;

    const [pub] = await ntfy.waitFor(withActions, 1, LONG);
    expect(pub!.json).toMatchObject({ topic: "phone", title: expect.stringContaining("Write"), message: file, click: expect.stringContaining(`#/s/${sid}`) });
    const allow = pub!.json.actions.find((a: any) => a.label === "Allow");
    expect(allow).toMatchObject({ action: "http", method: "POST", url: expect.stringContaining("/notify/action/") });
    expect(pub!.json.actions.map((a: any) => a.label)).toEqual(["Allow", "Deny"]);

    const first = await fetch(allow.url, { method: "POST" });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ sessionId: sid, decision: "allow" });
    await untilDone(sid, 1);
    expect(existsSync(file)).toBe(true);

    const again = await fetch(allow.url, { method: "POST" });
    expect(again.status).toBe(410);
    expect(((await again.json()) as any).data.code).toBe("ACTION_URL_USED");
    // The notification with buttons is replaced (same sequence id, no actions).
    const replaced = await ntfy.waitFor((r) => r.json?.sequence_id === pub!.json.sequence_id && !withActions(r), 1, LONG);
    expect(replaced[0]!.json.title).toContain("allowed");
    expect(ntfy.received.filter((r) => r.json?.sequence_id === pub!.json.sequence_id && withActions(r))).toHaveLength(1);

    const denied = join(d.workDir, "notified-deny.txt");
    expect((await rest("POST", `/api/stream/${sid}`, { prompt: `please WRITEFILE ${denied}` })).status).toBe(202);
    const pubs = await ntfy.waitFor(withActions, 2, LONG);
    const deny = pubs[1]!.json.actions.find((a: any) => a.label === "Deny");
    expect(pubs[1]!.json.sequence_id).not.toBe(pub!.json.sequence_id);
    const res = await fetch(deny.url, { method: "POST" });
    expect(res.status).toBe(200);
    const events = await untilDone(sid, 2);
    expect(events.filter((e) => e.type === "permissionResolved").at(-1)!.data).toMatchObject({ decision: "deny", by: "client", client: "notification action" });
    expect(existsSync(denied)).toBe(false);
    // Action URLs never reach the log.
    const token = allow.url.split("/").at(-1);
    expect(d.logs.some((l) => l.includes(token))).toBe(false);
  }, LONG * 2);
});
