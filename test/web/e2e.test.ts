// The phone client end to end in headless Chromium (390x844) against an in-process daemon with the fake CLI.
import { existsSync, mkdirSync } from "node:fs";
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

const SHOTS = join(REPO, "docs/screenshots");
let browser: Browser;
let front: FrontServer;
let d: TestDaemon;

beforeAll(async () => {
  if (!hasChromium) return;
  ensureWebBuild();
  mkdirSync(SHOTS, { recursive: true });
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
    els.map((e) => ({ kind: (e as HTMLElement).dataset.kind!, seq: Number((e as HTMLElement).dataset.seq), text: (e.textContent ?? "").trim() })),
  );

async function restEvents(sessionId: string): Promise<SessionEvent[]> {
  const r = await api<{ events: SessionEvent[] }>(`/api/sessions/${sessionId}/events?limit=5000`);
  return r.events;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

describe.skipIf(!hasChromium)("phone client in Chromium", () => {
  test("without a token the page explains how to pair, under a CSP that allows no inline script", async () => {
    const phone = await openPhone(browser, { colorScheme: "dark" });
    const res = await phone.page.goto(front.url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
    await phone.page.locator("[data-screen=pair]").waitFor();
    await expect(phone.page.getByText("claude-companion pair").first().isVisible()).resolves.toBe(true);
    // The manifest and its icons are served and installable-looking.
    const manifest = await phone.page.evaluate(async () => (await fetch("/manifest.webmanifest")).json());
    expect(manifest).toMatchObject({ start_url: "/", display: "standalone" });
    const sizes = (manifest.icons as { sizes: string; src: string }[]).map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of manifest.icons as { src: string }[]) {
      expect(await phone.page.evaluate(async (src) => (await fetch(src)).status, icon.src)).toBe(200);
    }
    await shot(phone.page, "pairing");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("a #token= link stores the token, clears the fragment and shows the session list; reopening needs no link", async () => {
    const phone = await pairedPhone();
    expect(await phone.page.evaluate(() => location.hash)).toBe("");
    expect(await phone.page.evaluate(() => localStorage.getItem("claude-companion.token"))).toBe(d.token);
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
    await page.waitForFunction(() => (document.querySelector(".bubble.assistant.streaming")?.textContent ?? "").includes("w4"));
    await expect(page.getByRole("button", { name: "Interrupt" }).isVisible()).resolves.toBe(true);
    await shot(page, "conversation-streaming");
    await waitForResults(page, 1);
    const bubble = page.locator(".bubble.assistant").last();
    expect((await bubble.textContent())?.trim()).toBe(Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "));
    await expect(page.locator("[data-kind=result]").last().textContent()).resolves.toMatch(/Done · .* · \$0\.000/);
    // The list shows the session with its directory and state.
    await page.getByRole("button", { name: "Back to sessions" }).click();
    const row = page.locator(`[data-session-id="${sid}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(d.workDir);
    await shot(page, "sessions");
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
    // The list badge counts it while it is open.
    await shot(page, "permission");
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
    await page.waitForFunction(() => (document.querySelector(".bubble.assistant.streaming")?.textContent ?? "").includes("w3"));
    expect(front.dropSockets()).toBeGreaterThan(0);
    await page.locator("[data-conn=reconnecting]").waitFor({ timeout: 5000 });
    await page.locator("[data-conn=connected]").waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => (document.querySelector(".bubble.assistant.streaming")?.textContent ?? "").includes("w15"));
    expect(front.dropSockets()).toBeGreaterThan(0);
    await page.locator("[data-conn=connected]").waitFor({ timeout: 15_000 });
    await waitForResults(page, 2);

    const events = await restEvents(sid);
    const lastSeq = events.at(-1)!.seq;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const conv = page.locator("[data-screen=conversation]");
    expect(Number(await conv.getAttribute("data-last-seq"))).toBe(lastSeq);
    // Every seq was applied once: `applied` counts applications, and only seq === lastSeq + 1 is ever applied.
    expect(Number(await conv.getAttribute("data-applied"))).toBe(lastSeq);
    const expected = buildView(sid, events).items.map((i) => ({
      kind: i.kind,
      seq: i.seq,
      ...(i.kind === "user" || i.kind === "assistant" ? { text: i.text.trim() } : {}),
    }));
    const shown = (await shownItems(page)).map((s) => ({ kind: s.kind, seq: s.seq, ...(s.kind === "user" || s.kind === "assistant" ? { text: s.text } : {}) }));
    expect(shown).toEqual(expected);
    expect(shown.filter((s) => s.kind === "assistant").map((s) => s.text)).toEqual([
      "Hello from fake Claude.",
      Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "),
    ]);
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
