// Web Push end to end against a local push service: VAPID, encrypted payloads decrypted here, tags, expiry, revocation.
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NotificationSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { createSubscriberKeys, startFakePushService, type FakePushService } from "../helpers/fake-push.js";

let push: FakePushService;
beforeAll(async () => {
  push = await startFakePushService();
}, 30_000);
afterAll(() => push?.close());
const d = useTestDaemon({ env: { CLAUDE_ALLOWED_TOOLS: "Read" }, notify: { retryDelaysMs: [10] } }, { timeoutMs: 30_000 });
const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(d.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};
const pairDevice = async (name: string): Promise<{ deviceId: string; deviceToken: string }> => {
  const code = await call("POST", "/api/pairing-codes", d.token);
  const res = await fetch(`${d.url}/api/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pairingToken: code.body.pairingToken, deviceName: name }),
  });
  return (await res.json()) as any;
};


describe("Web Push", () => {
  test("a subscribed device gets an encrypted permission push with Allow/Deny, then a withdrawn one with the same tag; keys stored 0600", async () => {
    const phone = await pairDevice("push phone");
    const vapid = await call("GET", "/api/push/vapid-public-key", phone.deviceToken);
    expect(vapid.status).toBe(200);
    expect(Buffer.from(vapid.body.publicKey, "base64url")).toHaveLength(65);
    expect(statSync(join(d.configDir, "notify.json")).mode & 0o777).toBe(0o600);
    const keys = createSubscriberKeys();
    const sub = await call("POST", "/api/push/subscriptions", phone.deviceToken, { endpoint: `${push.url}/sub/1`, expirationTime: null, keys: { p256dh: keys.p256dh, auth: keys.auth } });
    expect(sub.status).toBe(201);

    const start = await call("POST", "/api/stream/start", d.token, { prompt: "permission pushed.txt" });
    const sid = start.body.sessionId as string;
    const [first] = await push.waitFor(1);
    expect(first!.path).toBe("/sub/1");
    expect(first!.headers["content-encoding"]).toBe("aes128gcm");
    expect(first!.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.body.publicKey}$`));
    expect(Number(first!.headers.ttl)).toBeGreaterThan(0);
    expect(first!.headers.topic).toMatch(/^[\w-]{1,32}$/);
    const n = NotificationSchema.parse(JSON.parse(keys.decrypt(first!.body)));
    expect(n).toMatchObject({ kind: "permission", sessionId: sid, title: expect.stringContaining("Write"), body: expect.stringContaining("pushed.txt"), url: expect.stringContaining(`#/s/${sid}`) });
    expect(n.actions.map((a) => a.action)).toEqual(["allow", "deny"]);

    // Answered elsewhere: the notification is replaced (same tag) by one without buttons.
    const answered = await call("POST", `/api/permission/${n.permissionId}`, phone.deviceToken, { decision: "deny" });
    expect(answered.status).toBe(200);
    await push.waitFor(2);
    const withdrawn = NotificationSchema.parse(JSON.parse(keys.decrypt(push.pushes[1]!.body)));
    expect(withdrawn).toMatchObject({ tag: n.tag, withdrawn: true, actions: [] });
    expect(push.pushes[1]!.headers.topic).toBe(first!.headers.topic);
  }, 30_000);

  test("a push service answering 410 removes the subscription; DELETE unsubscribes; a revoked device's subscriptions are deleted", async () => {
    const phone = await pairDevice("expiring phone");
    const keys = createSubscriberKeys();
    const subscriptions = async () => JSON.parse((await import("node:fs")).readFileSync(join(d.configDir, "notify.json"), "utf8")).subscriptions as { endpoint: string }[];
    await call("POST", "/api/push/subscriptions", phone.deviceToken, { endpoint: `${push.url}/sub/2`, keys: { p256dh: keys.p256dh, auth: keys.auth } });
    expect((await subscriptions()).map((s) => s.endpoint)).toContain(`${push.url}/sub/2`);
    push.answerWith(410);
    await call("POST", "/api/stream/start", d.token, { prompt: "reply" });
    await expect.poll(() => push.pushes.some((p) => p.path === "/sub/2"), { timeout: 20_000 }).toBe(true);
    await d.daemon.notifyIdle();
    expect((await subscriptions()).map((s) => s.endpoint)).not.toContain(`${push.url}/sub/2`);
    push.answerWith(201);

    const other = await pairDevice("other phone");
    await call("POST", "/api/push/subscriptions", phone.deviceToken, { endpoint: `${push.url}/sub/3`, keys: { p256dh: keys.p256dh, auth: keys.auth } });
    await call("POST", "/api/push/subscriptions", other.deviceToken, { endpoint: `${push.url}/sub/4`, keys: { p256dh: keys.p256dh, auth: keys.auth } });
    // A device cannot delete another's subscription.
    expect((await call("DELETE", "/api/push/subscriptions", other.deviceToken, { endpoint: `${push.url}/sub/3` })).body).toEqual({ removed: 0 });
    expect((await call("DELETE", "/api/push/subscriptions", other.deviceToken, { endpoint: `${push.url}/sub/4` })).body).toEqual({ removed: 1 });
    expect((await call("DELETE", `/api/devices/${phone.deviceId}`, d.token)).status).toBe(200);
    expect((await subscriptions()).map((s) => s.endpoint)).not.toContain(`${push.url}/sub/3`);
  }, 30_000);

  test("a bad subscription body is BAD_REQUEST naming the field", async () => {
    const r = await call("POST", "/api/push/subscriptions", d.token, { endpoint: "not a url", keys: { p256dh: "x", auth: "y" } });
    expect(r).toMatchObject({ status: 400, body: { data: { code: "BAD_REQUEST", details: { path: "body.endpoint" } } } });
  });
});
