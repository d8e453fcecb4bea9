// The CPU warning (CPU_LIMIT_ACTION=warn) notifies like the other kinds: ntfy (full and minimal), webhook, Web Push; fake CLI + local fakes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { NotificationSchema, WebhookBodySchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { startFakeNtfy, type FakeNtfy } from "../helpers/fake-ntfy.js";
import { createSubscriberKeys, startFakePushService, type FakePushService } from "../helpers/fake-push.js";
import { processesWith } from "../helpers/procs.js";

let ntfy: FakeNtfy;
let push: FakePushService;
beforeAll(async () => {
  [ntfy, push] = await Promise.all([startFakeNtfy(), startFakePushService()]);
}, 30_000);
afterAll(() => {
  ntfy?.close();
  push?.close();
});
// A low limit and a short window: the fake CLI's busy child uses far more than 10 % of a core, even under load.
const d = useTestDaemon(
  { env: { CPU_LIMIT_PERCENT: "10", CPU_LIMIT_WINDOW: "1000", CPU_LIMIT_ACTION: "warn" }, notify: { retryDelaysMs: [20] } },
  { timeoutMs: 30_000 },
);
const { rest } = d;

describe.skipIf(process.platform !== "linux")("CPU warning notifications", () => {
  test("a runaway child gets a warning notification on every channel: the command at full content, not at minimal; the session goes on", async () => {
    const full = (await rest("POST", "/api/notify/channels", { type: "ntfy", url: `${ntfy.url}/cpu-full`, content: "full", replyTopic: false })).body.channel;
    const minimal = (await rest("POST", "/api/notify/channels", { type: "ntfy", url: `${ntfy.url}/cpu-min`, content: "minimal", replyTopic: false })).body.channel;
    const hook = (await rest("POST", "/api/notify/channels", { type: "webhook", url: `${ntfy.url}/cpu-hook` })).body.channel;
    const keys = createSubscriberKeys();
    expect((await rest("POST", "/api/push/subscriptions", { endpoint: `${push.url}/sub/cpu`, keys: { p256dh: keys.p256dh, auth: keys.auth } })).status).toBe(201);

    const token = randomUUID();
    const sid = (await rest("POST", "/api/stream/start", { prompt: `spin ${token}` })).body.sessionId as string;
    await vi.waitFor(() => expect(processesWith(token).length).toBeGreaterThan(0), { timeout: 20_000, interval: 100 });
    const busy = processesWith(token)[0]!;

    const [pub] = await ntfy.waitFor((r) => r.json?.topic === "cpu-full" && r.json.tags?.includes("fire"));
    expect(pub!.json).toMatchObject({ title: expect.stringMatching(/: CPU over the limit$/), priority: 4, click: expect.stringContaining(`#/s/${sid}`) });
    expect(pub!.json.message).toContain(`pid ${busy}`);
    expect(pub!.json.message).toContain(token.slice(0, 8));
    expect(pub!.json.actions).toBeUndefined();

    const [min] = await ntfy.waitFor((r) => r.json?.topic === "cpu-min" && r.json.tags?.includes("fire"));
    expect(JSON.stringify(min!.json)).not.toContain(token.slice(0, 8));
    expect(min!.json.message).toBe("The session's processes stayed over the CPU limit. Open the app to stop them.");

    const [h] = await ntfy.waitFor((r) => r.path === "/cpu-hook" && r.json?.event === "warning");
    expect(WebhookBodySchema.parse(h!.json)).toMatchObject({ session: { id: sid }, summary: { title: expect.stringContaining("CPU over the limit") } });

    const pushed = () => push.pushes.filter((p) => p.path === "/sub/cpu").map((p) => NotificationSchema.parse(JSON.parse(keys.decrypt(p.body))));
    await expect.poll(() => pushed().some((n) => n.kind === "warning"), { timeout: 20_000 }).toBe(true);
    expect(pushed().find((n) => n.kind === "warning")).toMatchObject({ tag: `warning-${sid}`, sessionId: sid, actions: [], body: expect.stringContaining(`pid ${busy}`) });

    // A warning, not a stop: no session error, the busy process still runs until the session is closed.
    const events = (await rest("GET", `/api/sessions/${sid}/events?limit=5000`)).body.events as any[];
    expect(events.some((e) => e.type === "warning" && e.data.kind === "cpu")).toBe(true);
    expect(events.filter((e) => e.type === "sessionError")).toEqual([]);
    expect(processesWith(token)).toContain(busy);
    await rest("DELETE", `/api/stream/${sid}`);
    await vi.waitFor(() => expect(processesWith(token)).toEqual([]), { timeout: 10_000, interval: 100 });
    for (const c of [full, minimal, hook]) await rest("DELETE", `/api/notify/channels/${c.id}`);
  }, 40_000);

  test("a warning while a client shows the session is not notified (like done and error)", async () => {
    const ch = (await rest("POST", "/api/notify/channels", { type: "ntfy", url: `${ntfy.url}/cpu-seen`, replyTopic: false })).body.channel;
    const c = await d.open();
    const sid = (await c.request({ type: "streamStart", data: {} }, "streamStarted", 20_000)).sessionId!;
    await c.request({ type: "presence", data: { visible: true, sessionId: sid } }, "ack", 20_000);
    const token = randomUUID();
    await c.request({ type: "streamSend", sessionId: sid, data: { prompt: `spin ${token}` } }, "ack", 20_000);
    await c.next((f) => f.type === "warning" && f.sessionId === sid && f.data.kind === "cpu", 20_000);
    await d.daemon.notifyIdle();
    expect(ntfy.received.filter((r) => r.json?.topic === "cpu-seen" && r.json.sequence_id === `warning-${sid}`)).toEqual([]);
    await c.close();
    await rest("DELETE", `/api/stream/${sid}`);
    await vi.waitFor(() => expect(processesWith(token)).toEqual([]), { timeout: 10_000, interval: 100 });
    await rest("DELETE", `/api/notify/channels/${ch.id}`);
  }, 40_000);
});
