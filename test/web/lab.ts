// Fixture of the phone client's end-to-end tests: a test daemon behind a front server, Chromium, and page helpers;
// useLab() and useStubbedBrowser() their set-up and tear-down.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import { parsePairingFragment } from "../../src/protocol/pairing-link.js";
import { buildView } from "../../src/web/transcript.js";
import { ensureWebBuild, hasChromium, launchChromium, openPhone, REPO, startFrontServer, type FrontServer, type PhonePage } from "../helpers/browser.js";
import { startTestDaemon, type TestDaemon, type TestDaemonOverrides } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";

// The few page globals the in-page callbacks use (the root tsconfig has no DOM lib).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
  dispatchEvent(event: unknown): boolean;
};
declare const Event: new (type: string) => unknown;

/** Each test drives a browser and real child processes: generous timeouts for a loaded two-core machine. */
export const SLOW = { timeout: 90_000 };

// Screenshots are test artifacts; UPDATE_SCREENSHOTS=1 also refreshes the committed ones in docs/screenshots.
const SHOTS = join(REPO, "test-artifacts/screenshots");
const DOC_SHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? join(REPO, "docs/screenshots") : null;

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const png = await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (DOC_SHOTS) {
    mkdirSync(DOC_SHOTS, { recursive: true });
    writeFileSync(join(DOC_SHOTS, `${name}.png`), png);
  }
}

export interface Lab {
  browser: Browser;
  front: FrontServer;
  d: TestDaemon;
  /** A REST call to the daemon with the master token. */
  api<T>(path: string, init?: RequestInit): Promise<T>;
  /** The session's log as REST serves it. */
  restEvents(sessionId: string): Promise<SessionEvent[]>;
  /** A fresh pairing link as the QR code carries it (`claude-companion pair`), read with the shared parser. */
  pairingLink(): Promise<{ url: string; pairingToken: string }>;
  /** A phone paired as a device by opening the QR link, on the session list and connected. */
  pairedPhone(colorScheme?: "light" | "dark"): Promise<PhonePage>;
  /** The page shows the session log exactly once: same items, same seqs, same text, every seq applied once. */
  expectTranscriptEqualsLog(page: Page, sessionId: string): Promise<SessionEvent[]>;
  close(): Promise<void>;
}

export async function startLab(daemon: TestDaemonOverrides = {}): Promise<Lab> {
  ensureWebBuild();
  const front = await startFrontServer();
  // The phone's origin is the front server's: the daemon must accept it for the WebSocket upgrade.
  const d = await startTestDaemon({
    ...daemon,
    env: { ALLOWED_ORIGINS: front.url, CLAUDE_ALLOWED_TOOLS: "Read", MAX_SESSIONS: "20", ...daemon.env },
  });
  front.setTarget(d.url);
  const browser = await launchChromium();

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${d.url}${path}`, { ...init, headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" } });
    return (await res.json()) as T;
  };
  // The phone opens the daemon's own link, pointed at the front server (the phone's origin in these tests).
  const pairingLink = async () => {
    const code = await api<{ url: string }>("/api/pairing-codes", { method: "POST", body: "{}" });
    const link = parsePairingFragment(new URL(code.url).hash);
    if (!link) throw new Error("the daemon issued a pairing link its own parser refuses");
    return { url: `${front.url}/#pair=${link.pairingToken}`, pairingToken: link.pairingToken };
  };
  const restEvents = async (sessionId: string) => (await api<{ events: SessionEvent[] }>(`/api/sessions/${sessionId}/events?limit=5000`)).events;

  return {
    browser,
    front,
    d,
    api,
    restEvents,
    pairingLink,
    async pairedPhone(colorScheme = "dark") {
      const phone = await openPhone(browser, { colorScheme });
      await phone.page.goto((await pairingLink()).url);
      await phone.page.locator("[data-screen=sessions]").waitFor();
      await phone.page.locator("[data-conn=connected]").waitFor();
      return phone;
    },
    async expectTranscriptEqualsLog(page, sessionId) {
      const events = await restEvents(sessionId);
      const lastSeq = events.at(-1)!.seq;
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const conv = page.locator("[data-screen=conversation]");
      expect(Number(await conv.getAttribute("data-last-seq"))).toBe(lastSeq);
      // `applied` counts applications, and only seq === lastSeq + 1 is ever applied: each seq exactly once.
      expect(Number(await conv.getAttribute("data-applied"))).toBe(lastSeq);
      const texty = (kind: string) => kind === "user" || kind === "assistant";
      const expected = buildView(sessionId, events).items.map((i) => ({
        kind: i.kind,
        seq: i.seq,
        ...(i.kind === "user" || i.kind === "assistant" ? { text: i.text.trim() } : {}),
      }));
      const shown = (await shownItems(page)).map((s) => ({ kind: s.kind, seq: s.seq, ...(texty(s.kind) ? { text: s.text } : {}) }));
      expect(shown).toEqual(expected);
      return events;
    },
    async close() {
      await browser.close();
      await front.close();
      await d.close();
    },
  };
}

/** What useLab() and useStubbedBrowser() start the file's browser for: Chromium is installed (the file's tests skip elsewhere). */
export interface UseLabOptions {
  /** Start only when this holds (default: Chromium is installed); the file's describe skips on the same condition. */
  when?: boolean;
  timeoutMs?: number;
}

/** Reads the value started in beforeAll, or says why there is none. */
function started<T extends object>(what: string, get: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = get();
      if (!value) throw new Error(`${what} is not started (beforeAll; is Chromium installed?)`);
      return value[key as keyof T];
    },
  });
}

/**
 * The file's lab: one daemon behind a front server and one Chromium for all its tests, started before them and
 * closed after them with the temp dirs. `daemon` may be a function, called in that beforeAll (after the hooks
 * registered before this call: fixtures, a fake API whose URL the daemon needs).
 */
export function useLab(daemon: TestDaemonOverrides | (() => TestDaemonOverrides | Promise<TestDaemonOverrides>) = {}, options: UseLabOptions = {}): Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    if (!(options.when ?? hasChromium)) return;
    lab = await startLab(typeof daemon === "function" ? await daemon() : daemon);
  }, options.timeoutMs ?? 60_000);
  afterAll(async () => {
    await lab?.close();
    cleanupTempDirs();
  });
  return started("the lab", () => lab);
}

/** One Chromium and one front server for a file whose tests stub the daemon (page.route, page.routeWebSocket); each test opens its own phone. */
export function useStubbedBrowser(options: UseLabOptions = {}): { readonly browser: Browser; readonly front: FrontServer } {
  let browser: Browser | undefined;
  let front: FrontServer | undefined;
  beforeAll(async () => {
    if (!(options.when ?? hasChromium)) return;
    ensureWebBuild();
    front = await startFrontServer();
    browser = await launchChromium();
  }, options.timeoutMs ?? 60_000);
  afterAll(async () => {
    await browser?.close();
    await front?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error("Chromium is not started (beforeAll; is it installed?)");
      return browser;
    },
    get front() {
      if (!front) throw new Error("the front server is not started (beforeAll)");
      return front;
    },
  };
}

export async function newSession(page: Page): Promise<string> {
  await page.getByRole("button", { name: "+ New session" }).click();
  await page.locator("[data-screen=new-session]").waitFor();
  await page.getByRole("button", { name: "Start session" }).click();
  const conv = page.locator("[data-screen=conversation][data-session-id]");
  await conv.waitFor();
  return (await conv.getAttribute("data-session-id"))!;
}

export async function sendPrompt(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Prompt" }).fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
}

/** Waits until `n` result lines are shown and the session is idle again. */
export async function waitForResults(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelectorAll(".conversation [data-kind=result]").length >= count, n, { timeout: 20_000 });
  await page.locator("[data-screen=conversation][data-state=idle]").waitFor({ timeout: 20_000 });
}

export type Shown = { kind: string; seq: number; text: string };

/** The conversation as shown: each item's kind, seq and text (a bubble's content, without tags such as "queued"). */
export const shownItems = (page: Page): Promise<Shown[]> =>
  page.$$eval(".conversation [data-kind]", (els) =>
    els.map((e) => ({
      kind: e.getAttribute("data-kind")!,
      seq: Number(e.getAttribute("data-seq")),
      text: ((e.querySelector(".md, .plain") ?? e).textContent ?? "").trim(),
    })),
  );

/** Waits until the streaming bubble shows `word`. (Functions, not strings: the page's CSP forbids eval.) */
export const streamedUpTo = (page: Page, word: string) =>
  page.waitForFunction((w) => (document.querySelector(".bubble.assistant.streaming")?.textContent ?? "").includes(w), word);

/** What a phone's browser does when the screen comes back on: a visibilitychange (the page is visible). */
export const wake = (page: Page) => page.evaluate(() => void document.dispatchEvent(new Event("visibilitychange")));
