// The real service worker in Chromium on http://127.0.0.1: a pushed permission shows Allow/Deny, and they answer the REAL CLI.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasChromium, type PhonePage } from "../helpers/browser.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { createSubscriberKeys, startFakePushService, type FakePushService } from "../helpers/fake-push.js";
import { tempDir } from "../helpers/tmp.js";
import { sendPrompt, useLab } from "./lab.js";

const LONG = 90_000;
const run = hasChromium && realClaudeInstalled();
if (!hasChromium) console.warn("test/web/e2e-push.test.ts: skipped, /usr/bin/chromium is missing");

let api: FakeAnthropicApi;
let push: FakePushService;
const keys = createSubscriberKeys();
beforeAll(async () => {
  if (!run) return;
  api = await startFakeAnthropicApi();
  push = await startFakePushService();
}, LONG);
afterAll(async () => {
  await push?.close();
  await api?.close();
});
const lab = useLab(() => ({ env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_MAX_RETRIES: "0" }, childEnv: realClaudeEnv(api, tempDir("cc-push-cfg-")) }), { when: run, timeoutMs: LONG });

type Shown = { title: string; body: string; tag: string; actions: { action: string; title: string }[] };
const shown = (phone: PhonePage) =>
  phone.context.serviceWorkers()[0]!.evaluate(async () => {
    const reg = (globalThis as any).registration;
    return ((await reg.getNotifications()) as any[]).map((n) => ({ title: n.title, body: n.body, tag: n.tag, actions: (n as unknown as { actions: { action: string; title: string }[] }).actions }));
  }) as Promise<Shown[]>;

describe.skipIf(!run)("Web Push in Chromium", () => {
  test("the settings say push is available here; a delivered push shows Allow/Deny; Allow writes the file, Deny does not, without opening the page", async () => {
    const phone = await lab.pairedPhone();
    const { page, context } = phone;
    await context.grantPermissions(["notifications"], { origin: lab.front.url });
    const settings = page.getByRole("region", { name: "Notifications" });
    await expect(settings.getByRole("button", { name: "Turn on notifications" }).isVisible()).resolves.toBe(true);

    // What "Turn on notifications" does, minus the browser's push service (there is none offline): the real
    // worker is registered and the device token stored for it; the daemon pushes to a local push service.
    const token = await page.evaluate(() => (globalThis as any).localStorage.getItem("claude-companion.token") as string);
    const cdp = await context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    const registered = new Promise<string>((resolve) => {
      cdp.on("ServiceWorker.workerVersionUpdated", (e: { versions: { registrationId: string; status: string }[] }) => {
        const v = e.versions.find((x) => x.status === "activated");
        if (v) resolve(v.registrationId);
      });
    });
    await page.evaluate(async (t) => {
      const { navigator, indexedDB } = globalThis as any;
      await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      await navigator.serviceWorker.ready;
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open("claude-companion", 1);
        req.onupgradeneeded = () => req.result.createObjectStore("kv");
        req.onsuccess = () => {
          const tx = req.result.transaction("kv", "readwrite");
          tx.objectStore("kv").put(t, "deviceToken");
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      });
    }, token);
    const registrationId = await registered;
    const sub = await fetch(`${lab.d.url}/api/push/subscriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ endpoint: `${push.url}/chromium`, keys: { p256dh: keys.p256dh, auth: keys.auth } }),
    });
    expect(sub.status).toBe(201);
    // The phone leaves the page (its socket closes): the daemon notifies, and nothing but the worker is left to answer.
    await page.goto("about:blank");

    const answerFromNotification = async (file: string, action: "allow" | "deny") => {
      const before = push.pushes.length;
      const start = await lab.api<{ sessionId: string }>("/api/stream/start", { method: "POST", body: JSON.stringify({ prompt: `please WRITEFILE ${file}` }) });
      await push.waitFor(before + 1, LONG);
      const payload = keys.decrypt(push.pushes[before]!.body);
      await cdp.send("ServiceWorker.deliverPushMessage", { origin: lab.front.url, registrationId, data: payload });
      let list: Shown[] = [];
      await expect.poll(async () => (list = await shown(phone)).length, { timeout: 10_000 }).toBe(1);
      expect(list[0]).toMatchObject({ title: expect.stringContaining("Write"), body: file });
      expect(list[0]!.actions.map((a) => [a.action, a.title])).toEqual([["allow", "Allow"], ["deny", "Deny"]]);
      // A tap on the button: the worker's own notificationclick handler runs (no page is open).
      const worker = context.serviceWorkers()[0]!;
      await worker.evaluate(async (act) => {
        const scope = globalThis as any;
        const [n] = await scope.registration.getNotifications();
        const Ctor = scope.NotificationEvent as new (t: string, i: object) => Event;
        scope.dispatchEvent(new Ctor("notificationclick", { notification: n, action: act }));
      }, action);
      let resolved: any;
      await expect
        .poll(async () => (resolved = (await lab.restEvents(start.sessionId)).find((e) => e.type === "permissionResolved")), { timeout: LONG })
        .toBeTruthy();
      expect(resolved.data).toMatchObject({ decision: action, by: "client", client: expect.not.stringContaining("notification action") });
      await expect.poll(async () => (await lab.restEvents(start.sessionId)).some((e) => e.type === "streamComplete"), { timeout: LONG }).toBe(true);
      return start.sessionId;
    };

    const allowed = join(lab.d.workDir, "push-allowed.txt");
    const denied = join(lab.d.workDir, "push-denied.txt");
    await answerFromNotification(allowed, "allow");
    expect(existsSync(allowed)).toBe(true);
    await answerFromNotification(denied, "deny");
    expect(existsSync(denied)).toBe(false);
    expect(phone.errors).toEqual([]);
    await context.close();
  }, LONG * 3);

  test("in the page: another session's approval shows a banner that opens it, and the tab title counts waiting approvals", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const a = await lab.api<{ sessionId: string }>("/api/stream/start", { method: "POST", body: "{}" });
    await page.goto(`${lab.front.url}/#/s/${a.sessionId}`);
    await page.locator("[data-screen=conversation]").waitFor();
    const file = join(lab.d.workDir, "banner.txt");
    const b = await lab.api<{ sessionId: string }>("/api/stream/start", { method: "POST", body: JSON.stringify({ prompt: `please WRITEFILE ${file}` }) });
    const banner = page.locator(".approval-banner");
    await banner.waitFor({ timeout: LONG });
    await expect(banner.textContent()).resolves.toContain("waits for your approval");
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe("(1) Claude Companion");
    await banner.click();
    await expect.poll(() => page.evaluate(() => (globalThis as any).location.hash as string)).toBe(`#/s/${b.sessionId}`);
    // On that session the card itself asks: no banner for the session on screen.
    await page.locator("article.perm").first().waitFor();
    await expect(banner.count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Deny" }).first().click();
    await expect.poll(() => page.title(), { timeout: LONG }).toBe("Claude Companion");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  }, LONG);

  test("presence from the page: nothing is pushed while it shows the session; when the page is hidden, the pending approval is", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const s = await lab.api<{ sessionId: string }>("/api/stream/start", { method: "POST", body: "{}" });
    await page.goto(`${lab.front.url}/#/s/${s.sessionId}`);
    await page.locator("[data-screen=conversation]").waitFor();
    const before = push.pushes.length;
    const file = join(lab.d.workDir, "presence.txt");
    // Sent over the page's own socket, after its presence frame.
    await sendPrompt(page, `please WRITEFILE ${file}`);
    await page.locator("article.perm").first().waitFor({ timeout: LONG });
    await lab.d.daemon.notifyIdle();
    expect(push.pushes.length).toBe(before);
    await page.evaluate(() => {
      const doc = (globalThis as any).document;
      Object.defineProperty(doc, "visibilityState", { value: "hidden", configurable: true });
      doc.dispatchEvent(new Event("visibilitychange"));
    });
    await push.waitFor(before + 1, LONG);
    const n = JSON.parse(keys.decrypt(push.pushes[before]!.body));
    expect(n).toMatchObject({ kind: "permission", sessionId: s.sessionId, body: file });
    await lab.api(`/api/permission/${n.permissionId}`, { method: "POST", body: JSON.stringify({ decision: "deny" }) });
    await phone.context.close();
  }, LONG);
});
