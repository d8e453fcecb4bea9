// The phone client end to end in headless Chromium (390x844) against an in-process daemon with the fake CLI.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import { buildView } from "../../src/web/transcript.js";
import { ensureWebBuild, hasChromium, launchChromium, openPhone, REPO, startFrontServer, type FrontServer, type PhonePage } from "../helpers/browser.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";

if (!hasChromium) {
  console.warn("test/web/e2e.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");
}

// The few page globals the in-page callbacks use (the root tsconfig has no DOM lib).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
  dispatchEvent(event: unknown): boolean;
};
declare const Event: new (type: string) => unknown;

// Screenshots are test artifacts; UPDATE_SCREENSHOTS=1 also refreshes the committed ones in docs/screenshots.
const SHOTS = join(REPO, "test-artifacts/screenshots");
const DOC_SHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? join(REPO, "docs/screenshots") : null;
let browser: Browser;
let front: FrontServer;
let d: TestDaemon;

beforeAll(async () => {
  if (!hasChromium) return;
  ensureWebBuild();
  mkdirSync(SHOTS, { recursive: true });
  if (DOC_SHOTS) mkdirSync(DOC_SHOTS, { recursive: true });
  front = await startFrontServer();
  // The phone's origin is the front server's: the daemon must accept it for the WebSocket upgrade.
  d = await startTestDaemon({ env: { ALLOWED_ORIGINS: front.url, CLAUDE_ALLOWED_TOOLS: "Read", MAX_SESSIONS: "20" } });
  front.setTarget(d.url);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await front?.close();
  await d?.close();
  cleanupTempDirs();
});

const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${d.url}${path}`, { ...init, headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" } });
  return (await res.json()) as T;
};

/** A phone already holding the master token (the `#token=` link), on the session list. */
async function pairedPhone(colorScheme: "light" | "dark" = "dark"): Promise<PhonePage> {
  const phone = await openPhone(browser, { colorScheme });
  await phone.page.goto(`${front.url}/#token=${d.token}`);
  await phone.page.locator("[data-screen=sessions]").waitFor();
  await phone.page.locator("[data-conn=connected]").waitFor();
  return phone;
}

async function newSession(page: Page): Promise<string> {
  await page.getByRole("button", { name: "+ New session" }).click();
  await page.locator("[data-screen=new-session]").waitFor();
  await page.getByRole("button", { name: "Start session" }).click();
  const conv = page.locator("[data-screen=conversation][data-session-id]");
  await conv.waitFor();
  return (await conv.getAttribute("data-session-id"))!;
}

async function sendPrompt(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Prompt" }).fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
}

/** Waits until the turn's result line is shown and the session is idle again. */
async function waitForResults(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelectorAll(".conversation [data-kind=result]").length >= count, n, { timeout: 20_000 });
  await page.locator("[data-screen=conversation][data-state=idle]").waitFor({ timeout: 20_000 });
}

type Shown = { kind: string; seq: number; text: string };
const shownItems = (page: Page): Promise<Shown[]> =>
  page.$$eval(".conversation [data-kind]", (els) =>
    // The text of a bubble is its content, without tags such as "queued" or "interrupted".
    els.map((e) => ({ kind: e.getAttribute("data-kind")!, seq: Number(e.getAttribute("data-seq")), text: ((e.querySelector(".md, .plain") ?? e).textContent ?? "").trim() })),
  );
/** Waits until the streaming bubble shows `word`. (Functions, not strings: the page's CSP forbids eval.) */
const streamedUpTo = (page: Page, word: string) =>
  page.waitForFunction((w) => (document.querySelector(".bubble.assistant.streaming")?.textContent ?? "").includes(w), word);

async function restEvents(sessionId: string): Promise<SessionEvent[]> {
  const r = await api<{ events: SessionEvent[] }>(`/api/sessions/${sessionId}/events?limit=5000`);
  return r.events;
}

/** The page shows the session log exactly once: same items, same seqs, same text, every seq applied once. */
async function expectTranscriptEqualsLog(page: Page, sid: string): Promise<SessionEvent[]> {
  const events = await restEvents(sid);
  const lastSeq = events.at(-1)!.seq;
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const conv = page.locator("[data-screen=conversation]");
  expect(Number(await conv.getAttribute("data-last-seq"))).toBe(lastSeq);
  // `applied` counts applications, and only seq === lastSeq + 1 is ever applied: each seq exactly once.
  expect(Number(await conv.getAttribute("data-applied"))).toBe(lastSeq);
  const texty = (kind: string) => kind === "user" || kind === "assistant";
  const expected = buildView(sid, events).items.map((i) => ({
    kind: i.kind,
    seq: i.seq,
    ...(i.kind === "user" || i.kind === "assistant" ? { text: i.text.trim() } : {}),
  }));
  const shown = (await shownItems(page)).map((s) => ({ kind: s.kind, seq: s.seq, ...(texty(s.kind) ? { text: s.text } : {}) }));
  expect(shown).toEqual(expected);
  return events;
}

async function shot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (DOC_SHOTS) writeFileSync(join(DOC_SHOTS, `${name}.png`), png);
}

// Each test drives a browser and real child processes: generous timeouts for a loaded two-core machine.
const SLOW = { timeout: 90_000 };

describe.skipIf(!hasChromium)("phone client in Chromium", SLOW, () => {
  test("without a token the page explains how to pair, under a CSP that allows no inline script", async () => {
    const phone = await openPhone(browser, { colorScheme: "dark" });
    const res = await phone.page.goto(front.url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
    await phone.page.locator("[data-screen=pair]").waitFor();
    await expect(phone.page.getByText("claude-companion pair").first().isVisible()).resolves.toBe(true);
    // The manifest and its icons are served and installable-looking.
    const manifest = (await phone.page.evaluate(async () => (await fetch("/manifest.webmanifest")).json())) as {
      icons: { sizes: string; src: string }[];
    };
    expect(manifest).toMatchObject({ start_url: "/", display: "standalone" });
    const sizes = manifest.icons.map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of manifest.icons) {
      expect(await phone.page.evaluate(async (src) => (await fetch(src)).status, icon.src)).toBe(200);
    }
    await shot(phone.page, "pairing");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("a #token= link stores the token, clears the fragment and shows the session list; reopening needs no link", async () => {
    const phone = await pairedPhone();
    expect(await phone.page.evaluate("location.hash")).toBe("");
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBe(d.token);
    // Opened again from the home screen: start_url "/" with the token in localStorage.
    await phone.page.goto(front.url);
    await phone.page.locator("[data-screen=sessions]").waitFor();
    await phone.page.locator("[data-conn=connected]").waitFor();
    await phone.context.close();
  });

  test("new session -> prompt -> the answer streams in and is finalised with a result line", async () => {
    const phone = await pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "slow");
    await page.locator(".bubble.user", { hasText: "slow" }).waitFor();
    // Mid-stream: the bubble is still open and grows.
    const streaming = page.locator(".bubble.assistant.streaming");
    await streaming.waitFor();
    await streamedUpTo(page, "w4");
    await expect(page.getByRole("button", { name: "Interrupt" }).isVisible()).resolves.toBe(true);
    await shot(page, "conversation-streaming");
    await waitForResults(page, 1);
    const bubble = page.locator(".bubble.assistant").last();
    expect((await bubble.textContent())?.trim()).toBe(Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "));
    await expect(page.getByRole("button", { name: "Interrupt" }).count()).resolves.toBe(0);
    await expect(page.locator("[data-kind=result]").last().textContent()).resolves.toMatch(/Done · .* · \$0\.000/);
    // Markdown: a heading, a list, inline code and a fenced code block.
    await sendPrompt(page, "echo this back:\n\n### Plan\n\n1. Read `src/app.ts`\n2. Fix the **bug**\n\n```ts\nconst x: number = 1 << 4;\n```");
    await waitForResults(page, 2);
    const md = page.locator(".bubble.assistant").last();
    await expect(md.locator("h3").textContent()).resolves.toBe("Plan");
    await expect(md.locator("pre code").textContent()).resolves.toBe("const x: number = 1 << 4;\n");
    await expect(md.locator("ol li").count()).resolves.toBe(2);
    await shot(page, "conversation");
    // Nothing is fetched from anywhere but the daemon (no CDN, no fonts, no images from Claude's text).
    expect(phone.requests.filter((u) => !u.startsWith(`${front.url}/`))).toEqual([]);
    // The list shows the session with its directory and state.
    await page.getByRole("button", { name: "Back to sessions" }).click();
    const row = page.locator(`[data-session-id="${sid}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(d.workDir);
    await expect(row.getAttribute("data-state")).resolves.toBe("idle");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("permission -> Allow writes the file; Deny with a message does not", async () => {
    const phone = await pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "permission allowed.txt");
    const card = page.locator("article.perm").first();
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain("allowed.txt");
    await shot(page, "permission");
    // The list shows a badge for the open request.
    await page.getByRole("button", { name: "Back to sessions" }).click();
    await expect(page.locator(`[data-session-id="${sid}"] .badge`).textContent()).resolves.toBe("1");
    await shot(page, "sessions");
    await page.locator(`[data-session-id="${sid}"]`).click();
    await card.waitFor();
    await card.getByRole("button", { name: "Allow", exact: true }).click();
    await page.locator("article.perm[data-resolved=allow]").waitFor();
    await expect(card.textContent()).resolves.toMatch(/Allowed by master token/);
    await waitForResults(page, 1);
    expect(existsSync(join(d.workDir, "allowed.txt"))).toBe(true);
    await expect(page.locator("article.tool[data-tool=Write]").first().textContent()).resolves.toContain("allowed.txt");

    await sendPrompt(page, "permission denied.txt");
    const second = page.locator("article.perm").nth(1);
    await second.waitFor();
    await second.getByRole("textbox", { name: /Message for Claude/ }).fill("not this file");
    await second.getByRole("button", { name: "Deny" }).click();
    await page.locator("article.perm[data-resolved=deny]").waitFor();
    await waitForResults(page, 2);
    expect(existsSync(join(d.workDir, "denied.txt"))).toBe(false);
    await expect(second.textContent()).resolves.toContain("not this file");
    const events = await restEvents(sid);
    expect(events.filter((e) => e.type === "permissionResolved").map((e) => (e.data as { decision: string }).decision)).toEqual(["allow", "deny"]);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("AskUserQuestion: tapping an option answers it", async () => {
    const phone = await pairedPhone("light");
    const { page } = phone;
    await newSession(page);
    await sendPrompt(page, "question");
    const card = page.locator("article.perm").first();
    await card.waitFor();
    await shot(page, "question-light");
    await card.getByRole("button", { name: "Answer Blue" }).click();
    await waitForResults(page, 1);
    await expect(page.locator(".bubble.assistant").last().textContent()).resolves.toContain("You chose Blue.");
    await phone.context.close();
  });

  test("the sockets drop mid-stream twice: the page reconnects and shows the session log exactly once", async () => {
    const phone = await pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    await sendPrompt(page, "slow");
    await streamedUpTo(page, "w3");
    expect(front.dropSockets()).toBeGreaterThan(0);
    await page.locator("[data-conn=reconnecting]").waitFor({ timeout: 5000 });
    await page.locator("[data-conn=connected]").waitFor({ timeout: 15_000 });
    await streamedUpTo(page, "w15");
    expect(front.dropSockets()).toBeGreaterThan(0);
    await page.locator("[data-conn=connected]").waitFor({ timeout: 15_000 });
    await waitForResults(page, 2);

    await expectTranscriptEqualsLog(page, sid);
    const shown = await shownItems(page);
    expect(shown.filter((s) => s.kind === "assistant").map((s) => s.text)).toEqual([
      "Hello from fake Claude.",
      Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "),
    ]);
    await phone.context.close();
  });

  test("a phone that slept on an open socket: on wake a ping without pong reconnects and the missed turn appears once", async () => {
    const phone = await pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    expect(front.freezeSockets()).toBeGreaterThan(0);
    // Meanwhile someone else (here: REST with the master token) runs a turn the phone cannot see.
    await api(`/api/stream/${sid}`, { method: "POST", body: JSON.stringify({ prompt: "echo while the phone slept" }) });
    await expect.poll(async () => (await restEvents(sid)).filter((e) => e.type === "streamComplete").length, { timeout: 10_000 }).toBe(2);
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await waitForResults(page, 2);
    await page.locator("[data-conn=connected]").waitFor();
    await expectTranscriptEqualsLog(page, sid);
    await expect(page.locator(".bubble.assistant").last().textContent()).resolves.toContain("while the phone slept");
    await phone.context.close();
  });

  test("a session closed elsewhere says so; Resume continues it with its history and the same log", async () => {
    const phone = await pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    await api(`/api/stream/${sid}`, { method: "DELETE" });
    await page.locator("[data-screen=conversation][data-state=closed]").waitFor();
    await page.getByRole("button", { name: "Resume" }).click();
    await page.getByRole("textbox", { name: "Prompt" }).waitFor();
    await sendPrompt(page, "history");
    await waitForResults(page, 2);
    await expect(page.locator(".bubble.assistant").last().textContent()).resolves.toContain("History (1): reply");
    await expectTranscriptEqualsLog(page, sid);
    await phone.context.close();
  });

  test("a prompt sent while a turn runs is shown queued, then runs; Interrupt stops a turn", async () => {
    const phone = await pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "slow");
    await streamedUpTo(page, "w1");
    await sendPrompt(page, "echo second");
    const queued = page.locator(".bubble.user", { hasText: "echo second" });
    await expect(queued.locator(".tag").textContent()).resolves.toBe("queued");
    await expect(page.locator(".toast").textContent()).resolves.toContain("Queued");
    await page.locator(".working", { hasText: "1 queued" }).waitFor();
    await waitForResults(page, 2);
    await expect(queued.locator(".tag").count()).resolves.toBe(0);
    await expect(page.locator(".bubble.assistant").last().textContent()).resolves.toContain("echo second");

    await sendPrompt(page, "slow");
    await streamedUpTo(page, "w2");
    await page.getByRole("button", { name: "Interrupt" }).click();
    await waitForResults(page, 3);
    await expect(page.locator("[data-kind=result]").last().textContent()).resolves.toMatch(/^Interrupted/);
    await expect(page.locator(".bubble.assistant").last().locator(".tag").textContent()).resolves.toBe("interrupted");
    await expectTranscriptEqualsLog(page, sid);
    await phone.context.close();
  });

  test("offline: the pill says so and the prompt box is disabled; back online it works again", async () => {
    const phone = await pairedPhone();
    const { page, context } = phone;
    await newSession(page);
    await context.setOffline(true);
    await page.locator("[data-conn=offline]").waitFor();
    await expect(page.getByRole("textbox", { name: "Prompt" }).isDisabled()).resolves.toBe(true);
    await context.setOffline(false);
    await page.locator("[data-conn=connected]").waitFor({ timeout: 10_000 });
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    await phone.context.close();
  });

  test("Claude's text with HTML, javascript: links and images: nothing runs, nothing is fetched", async () => {
    const phone = await pairedPhone();
    const { page } = phone;
    await newSession(page);
    const payload = "echo <img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(2)</script> ![y](/y.png) [ok](https://example.com/)";
    await sendPrompt(page, payload);
    await waitForResults(page, 1);
    const bubble = page.locator(".bubble.assistant").last();
    await expect(bubble.textContent()).resolves.toContain("<img src=x onerror=alert(1)>");
    expect(await bubble.locator("img, script, iframe, svg").count()).toBe(0);
    const links = await bubble.locator("a").evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href"), target: a.getAttribute("target"), rel: a.getAttribute("rel"), text: a.textContent })));
    expect(links).toEqual([
      { href: null, target: null, rel: null, text: "x" },
      { href: "https://example.com/", target: "_blank", rel: "noopener noreferrer", text: "ok" },
    ]);
    await bubble.locator("a", { hasText: "x" }).click();
    expect(phone.dialogs).toEqual([]);
    expect(phone.requests.filter((u) => /\/x$|\/y\.png$|example\.com/.test(u))).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});

describe.skipIf(!hasChromium)("pairing in Chromium", SLOW, () => {
  const issue = () => api<{ pairingToken: string; url: string }>("/api/pairing-codes", { method: "POST", body: "{}" });

  test("the QR link (#pair=) pairs this phone as a device, clears the fragment and keeps working after a reload", async () => {
    const { pairingToken, url } = await issue();
    expect(url).toContain(`#pair=${pairingToken}`);
    const phone = await openPhone(browser);
    await phone.page.goto(`${front.url}/#pair=${pairingToken}`);
    await phone.page.locator("[data-screen=sessions]").waitFor();
    await phone.page.locator("[data-conn=connected]").waitFor();
    expect(await phone.page.evaluate("location.hash")).toBe("");
    const stored = (await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)) as string;
    expect(stored).toMatch(/^\S{20,}$/);
    expect(stored).not.toBe(d.token);
    const devices = await api<{ devices: { id: string; name: string }[] }>("/api/devices");
    const deviceId = (await phone.page.evaluate(`localStorage.getItem("claude-companion.deviceId")`)) as string;
    expect(devices.devices).toEqual(expect.arrayContaining([expect.objectContaining({ id: deviceId, name: "Android Chrome" })]));
    await phone.page.reload();
    await phone.page.locator("[data-conn=connected]").waitFor();

    // The same code again, from another phone: used.
    const other = await openPhone(browser);
    await other.page.goto(`${front.url}/#pair=${pairingToken}`);
    const failed = other.page.locator("[data-screen=pairing-failed]");
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toMatch(/already used[\s\S]*claude-companion pair/);
    expect(await other.page.evaluate("location.hash")).toBe("");
    await shot(other.page, "pairing-used");
    await other.context.close();

    // The used code scanned again by the paired phone: it says so and offers the earlier pairing.
    await phone.page.goto(`${front.url}/#pair=${pairingToken}`);
    await phone.page.locator("[data-screen=pairing-failed]").waitFor();
    await phone.page.getByRole("button", { name: /earlier pairing/ }).click();
    await phone.page.locator("[data-screen=sessions]").waitFor();
    await phone.page.locator("[data-conn=connected]").waitFor();
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBe(stored);

    // Revoking the device closes its socket (4401): the page says it is no longer paired.
    await api(`/api/devices/${deviceId}`, { method: "DELETE" });
    await phone.page.locator("[data-screen=pair]", { hasText: "no longer paired" }).waitFor({ timeout: 5000 });
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBeNull();
    await phone.context.close();
  });

  test("a permission answered on another phone: the card says by whom", async () => {
    const { pairingToken } = await issue();
    const tablet = await openPhone(browser, { colorScheme: "light" });
    await tablet.page.goto(`${front.url}/#pair=${pairingToken}`);
    await tablet.page.locator("[data-conn=connected]").waitFor();
    const phone = await pairedPhone();
    const sid = await newSession(phone.page);
    await tablet.page.goto(`${front.url}/#/s/${sid}`);
    await tablet.page.locator(`[data-screen=conversation][data-session-id="${sid}"]`).waitFor();
    await sendPrompt(phone.page, "permission raced.txt");
    const onTablet = tablet.page.locator("article.perm").first();
    const onPhone = phone.page.locator("article.perm").first();
    await onTablet.waitFor();
    await onPhone.waitFor();
    await onTablet.getByRole("button", { name: "Deny" }).click();
    await onPhone.locator(".verdict").waitFor();
    await expect(onPhone.locator(".verdict").textContent()).resolves.toBe("Denied by Android Chrome");
    await expect(onPhone.getByRole("button", { name: "Allow", exact: true }).count()).resolves.toBe(0);
    await waitForResults(phone.page, 1);
    expect(existsSync(join(d.workDir, "raced.txt"))).toBe(false);
    await tablet.context.close();
    await phone.context.close();
  });

  test.each([
    ["PAIRING_TOKEN_UNKNOWN", "not known"],
    ["PAIRING_TOKEN_EXPIRED", "expired"],
  ])("%s shows a clear message and how to get a new code", async (code, words) => {
    const phone = await openPhone(browser);
    if (code === "PAIRING_TOKEN_EXPIRED") {
      // Expiry takes 10 minutes on a real daemon: answer as it would.
      await phone.page.route("**/api/pair", (route) =>
        route.fulfill({ status: 401, contentType: "application/json", body: JSON.stringify({ type: "error", data: { code, message: "This pairing code has expired. Run `claude-companion pair` on the computer for a new QR code.", details: {} } }) }),
      );
    }
    await phone.page.goto(`${front.url}/#pair=AAAAAAAAAAAAAAAAAAAAAA`);
    const failed = phone.page.locator("[data-screen=pairing-failed]");
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toMatch(new RegExp(`${words}[\\s\\S]*claude-companion pair`));
    await phone.context.close();
  });
});

describe.skipIf(!hasChromium)("against a stubbed server (page.routeWebSocket)", SLOW, () => {
  const SID = "11111111-1111-4111-8111-111111111111";
  const info = { sessionId: SID, state: "idle", workingDirectory: "/home/me/app", permissionMode: "default", createdAt: 1, lastActivity: Date.now(),
    messageCount: 1, queueLength: 0, lastSeq: 4, pendingPermissions: [], process: null, lastResult: null };
  const XSS = [
    "Payloads: <img src=x onerror=alert(1)> <svg onload=alert(2)></svg> <iframe src=javascript:alert(3)></iframe>",
    "",
    '[a](javascript:alert(4)) [b](JAVASCRIPT:alert(5)) [c](data:text/html,<script>alert(6)</script>) <a href="javascript:alert(7)">d</a>',
    "",
    "![e](x) [f](https://example.com/ok) <details open ontoggle=alert(8)>g</details>",
  ].join("\n");
  const ev = (seq: number, type: string, data: unknown) => JSON.stringify({ seq, sessionId: SID, ts: Date.now(), type, data });

  test("duplicates are ignored, a gap resubscribes once from lastSeq, and the payloads stay inert", async () => {
    const phone = await openPhone(browser);
    const { page } = phone;
    const subscribes: unknown[] = [];
    await page.route("**/api/sessions", (r) => r.fulfill({ json: { sessions: [info] } }));
    await page.routeWebSocket("**/ws", (ws) => {
      ws.send(JSON.stringify({ type: "welcome", data: { serverVersion: "stub", protocolVersion: 1, connectionId: "c1", heartbeatMs: 30000 } }));
      ws.onMessage((raw) => {
        const f = JSON.parse(String(raw)) as { type: string; requestId: string; data?: { lastSeq?: number } };
        if (f.type === "sessions") ws.send(JSON.stringify({ type: "sessions", requestId: f.requestId, data: { sessions: [info] } }));
        if (f.type !== "subscribe") return;
        subscribes.push(f.data);
        if (f.data?.lastSeq === 0) {
          ws.send(ev(1, "userMessage", { promptId: "p1", text: "show me <b>html</b>", images: 0 }));
          ws.send(ev(2, "streamData", { kind: "message", messageId: "m1", text: XSS, content: [] }));
          ws.send(ev(2, "streamData", { kind: "message", messageId: "m1", text: "DUPLICATE", content: [] }));
          ws.send(ev(1, "userMessage", { promptId: "p1", text: "DUPLICATE", images: 0 }));
          ws.send(JSON.stringify({ type: "replayComplete", requestId: f.requestId, sessionId: SID, data: { fromSeq: 1, toSeq: 2, gap: false, pendingPermissions: [] } }));
          // Live: seq 3 is lost on the way; 4 and 5 arrive and must not be applied before 3.
          ws.send(ev(4, "sessionUpdate", { state: "idle", reason: "turn-complete", queueLength: 0 }));
          ws.send(ev(5, "warning", { message: "MUST COME AFTER 3 AND 4" }));
        } else {
          ws.send(ev(3, "streamComplete", { result: "", isError: false, subtype: "success", promptIds: ["p1"], durationMs: 1200, costUsd: 0.0042 }));
          ws.send(ev(4, "sessionUpdate", { state: "idle", reason: "turn-complete", queueLength: 0 }));
          ws.send(ev(5, "warning", { message: "MUST COME AFTER 3 AND 4" }));
          ws.send(JSON.stringify({ type: "replayComplete", requestId: f.requestId, sessionId: SID, data: { fromSeq: 3, toSeq: 5, gap: false, pendingPermissions: [] } }));
        }
      });
    });
    await page.goto(`${front.url}/#token=stub-token-0123456789`);
    await page.locator(`[data-session-id="${SID}"]`).click();
    await page.locator("[data-screen=conversation][data-last-seq='5']").waitFor();
    expect(subscribes).toEqual([{ lastSeq: 0 }, { lastSeq: 2 }]);
    const shown = await shownItems(page);
    expect(shown.map((i) => [i.kind, i.seq])).toEqual([["user", 1], ["assistant", 2], ["result", 3], ["notice", 5]]);
    expect(shown.map((i) => i.text).join(" ")).not.toContain("DUPLICATE");
    expect(await page.locator("[data-screen=conversation]").getAttribute("data-applied")).toBe("5");
    // The user's own text is text too.
    await expect(page.locator(".bubble.user").textContent()).resolves.toContain("<b>html</b>");

    const bubble = page.locator(".bubble.assistant");
    expect(await bubble.locator("img, svg, iframe, script, details, [onerror], [onload], [ontoggle]").count()).toBe(0);
    const hrefs = await bubble.locator("a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href"), a.getAttribute("rel")]));
    expect(hrefs).toEqual([["a", null, null], ["b", null, null], ["c", null, null], ["f", "https://example.com/ok", "noopener noreferrer"]]);
    for (const name of ["a", "b", "c"]) await bubble.locator("a", { hasText: new RegExp(`^${name}$`) }).click();
    expect(phone.dialogs).toEqual([]);
    expect(phone.requests.filter((u) => !u.startsWith(front.url) || /\/x$/.test(u))).toEqual([]);
    await shot(page, "xss-inert");
    await phone.context.close();
  });
});

describe.skipIf(!hasChromium)("a phone away longer than the daemon keeps events", SLOW, () => {
  let small: TestDaemon;
  let smallFront: FrontServer;
  beforeAll(async () => {
    smallFront = await startFrontServer();
    small = await startTestDaemon({ env: { ALLOWED_ORIGINS: smallFront.url }, eventLogLimits: { maxEvents: 60, maxBytes: 4096 } });
    smallFront.setTarget(small.url);
  });
  afterAll(async () => {
    await smallFront?.close();
    await small?.close();
  });

  test("the resubscribe gets a snapshot: the view is rebuilt from it and the retained events, in order, once", async () => {
    const phone = await openPhone(browser);
    const { page } = phone;
    await page.goto(`${smallFront.url}/#token=${small.token}`);
    await page.locator("[data-conn=connected]").waitFor();
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    smallFront.freezeSockets();
    const headers = { authorization: `Bearer ${small.token}`, "content-type": "application/json" };
    await fetch(`${small.url}/api/stream/${sid}`, { method: "POST", headers, body: JSON.stringify({ prompt: "long 300" }) });
    const log = async () => (await (await fetch(`${small.url}/api/sessions/${sid}/events?limit=5000`, { headers })).json()) as { gap: boolean; lastSeq: number; events: SessionEvent[] };
    await expect.poll(async () => (await log()).events.some((e) => e.type === "streamComplete" && (e.data as { result: string }).result === "long 300 done"), { timeout: 15_000 }).toBe(true);
    const { lastSeq } = await log();
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await page.locator(`[data-screen=conversation][data-last-seq="${lastSeq}"]`).waitFor({ timeout: 15_000 });
    await page.locator("[data-screen=conversation][data-state=idle]").waitFor();
    const shown = await shownItems(page);
    expect(shown[0]).toMatchObject({ kind: "notice", text: expect.stringContaining("no longer kept") });
    const seqs = shown.slice(1).map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(shown.filter((s) => s.kind === "assistant").at(-1)?.text).toBe("x".repeat(300));
    expect(shown.at(-1)?.kind).toBe("result");
    await phone.context.close();
  });
});
