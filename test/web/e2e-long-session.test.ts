// Long sessions in Chromium (not timed): 5 000 events open at the bottom with the last item on screen, every earlier one
// reachable by scrolling up in order; a phone that slept through 5 000 events catches up with all of them, in order, once.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import { buildView } from "../../src/web/transcript.js";
import { hasChromium } from "../helpers/browser.js";
import { connectWs } from "../helpers/ws-client.js";
import { newSession, sendPrompt, shownItems, useLab, waitForResults, wake } from "./lab.js";

// The page globals the in-page callbacks use (the root tsconfig has no DOM lib).
declare const document: any;
declare const window: any;

if (!hasChromium) console.warn("test/web/e2e-long-session.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

const lab = useLab();

// Items drawn when a conversation opens (TRANSCRIPT_WINDOW in src/web/components/transcript-list.tsx).
const TRANSCRIPT_WINDOW = 40;
// The fake CLI's `work N`: N steps of an answer, a Read tool use and its result, about 10 events each.
const STEPS = 500;

/** The whole log over REST, page by page. */
async function allEvents(sessionId: string): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for (let page = 0; page < 10; page++) {
    const r = await lab.api<{ events: SessionEvent[]; hasMore?: boolean }>(`/api/sessions/${sessionId}/events?after=${out.at(-1)?.seq ?? 0}&limit=5000`);
    out.push(...r.events);
    if (r.events.length < 5000) break;
  }
  return out;
}

/** Where the page is: at the bottom, the last drawn item on screen, how many are drawn. */
const where = (page: Page) =>
  page.evaluate(() => {
    const items = document.querySelectorAll(".conversation [data-seq]");
    const last = items[items.length - 1]!.getBoundingClientRect();
    return {
      atBottom: window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 4,
      lastOnScreen: last.top < window.innerHeight && last.bottom > 0,
      drawn: document.querySelectorAll(".conversation [data-kind]").length,
      lastSeq: Number(document.querySelector("[data-screen=conversation]")!.getAttribute("data-last-seq")),
    };
  });

/** Scrolls to the top until every earlier item is drawn (bounded); checks the reading position is kept each time. */
async function scrollUpToTheStart(page: Page): Promise<number> {
  let steps = 0;
  for (; steps < 60 && (await page.locator("[data-earlier]").count()) > 0; steps++) {
    const before = await page.evaluate(() => {
      const first = document.querySelector(".conversation [data-seq]")!;
      return { n: document.querySelectorAll(".conversation [data-kind]").length, seq: first.getAttribute("data-seq"), kind: first.getAttribute("data-kind") };
    });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction((n) => document.querySelectorAll(".conversation [data-kind]").length > n, before.n, { timeout: 10_000 });
    // What was the first item is still on screen: drawing the earlier ones above did not move it away.
    const top = await page.evaluate(({ seq, kind }) => document.querySelector(`.conversation [data-seq="${seq}"][data-kind="${kind}"]`)!.getBoundingClientRect().top, before);
    expect(top).toBeGreaterThanOrEqual(-1);
    expect(top).toBeLessThan(844);
  }
  return steps;
}

/** Every item of the log is shown once, in order, with its text (the same fold as the page's, over REST). */
async function expectAllShown(page: Page, sessionId: string, events: SessionEvent[]): Promise<void> {
  // An answer's text as its Markdown shows it (the fake's answers use only ** and `).
  const shownText = (kind: string, text: string) => (kind === "assistant" ? text.replace(/[*`]/g, "") : text).trim();
  const expected = buildView(sessionId, events).items.map((i) => ({ kind: i.kind, seq: i.seq, ...(i.kind === "user" || i.kind === "assistant" ? { text: shownText(i.kind, i.text) } : {}) }));
  const shown = (await shownItems(page)).map((s) => ({ kind: s.kind, seq: s.seq, ...(s.kind === "user" || s.kind === "assistant" ? { text: s.text } : {}) }));
  expect(shown).toEqual(expected);
}

describe.skipIf(!hasChromium)("long sessions in Chromium at 390x844", { timeout: 240_000 }, () => {
  test("a 5 000-event session follows while it streams, opens at the bottom with its last item on screen, and its start is reachable by scrolling up", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, `work ${STEPS}`);
    await waitForResults(page, 1);
    // It followed the turn: still at the bottom, the result line on screen, only the window drawn.
    await expect.poll(() => where(page), { timeout: 10_000 }).toMatchObject({ atBottom: true, lastOnScreen: true });
    const events = await allEvents(sid);
    expect(events.length).toBeGreaterThan(5000);

    // Open it again from the list after a reload: the whole session is replayed.
    await page.goto(`${lab.front.url}/#/`);
    await page.reload();
    await page.locator(`[data-session-id="${sid}"]`).first().click();
    await page.waitForFunction((n) => Number(document.querySelector("[data-screen=conversation]")?.getAttribute("data-last-seq")) === n, events.at(-1)!.seq, { timeout: 30_000 });
    await expect.poll(() => where(page), { timeout: 10_000 }).toMatchObject({ atBottom: true, lastOnScreen: true });
    const opened = await where(page);
    expect(opened.drawn).toBeLessThanOrEqual(TRANSCRIPT_WINDOW);
    await expect(page.locator(".conversation [data-kind]").last().getAttribute("data-kind")).resolves.toBe("result");
    expect(await page.locator("[data-screen=conversation]").getAttribute("data-applied")).toBe(String(events.at(-1)!.seq));

    expect(await scrollUpToTheStart(page)).toBeGreaterThan(10);
    await expect(page.locator(".conversation [data-kind]").first().textContent()).resolves.toContain(`work ${STEPS}`);
    await expectAllShown(page, sid, events);
    await phone.context.close();
  });

  test("a phone asleep through 5 000 events catches up on wake: all of them, in order, once, and it is at the bottom", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    expect(lab.front.freezeSockets()).toBeGreaterThan(0);
    // Claude works while the phone sleeps: another client runs the turn.
    const other = await connectWs(lab.d.wsUrl, { headers: { authorization: `Bearer ${lab.d.token}` } });
    await other.next("welcome");
    const seen = (await allEvents(sid)).at(-1)!.seq;
    await other.request({ type: "subscribe", sessionId: sid, data: { lastSeq: seen } }, "replayComplete");
    other.send({ type: "streamSend", sessionId: sid, data: { prompt: `work ${STEPS}` } });
    await other.next((f) => f.type === "streamComplete" && f.sessionId === sid, 120_000);
    await other.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "idle", 10_000);
    await other.close();
    const events = await allEvents(sid);
    expect(events.length).toBeGreaterThan(5000);

    await wake(page);
    await page.waitForFunction((n) => Number(document.querySelector("[data-screen=conversation]")?.getAttribute("data-last-seq")) === n, events.at(-1)!.seq, { timeout: 60_000 });
    await page.locator("[data-conn=connected]").waitFor();
    await expect.poll(() => where(page), { timeout: 10_000 }).toMatchObject({ atBottom: true, lastOnScreen: true });
    // Each seq applied once (the replay's left-out stream events count as applied: they change nothing on the page).
    expect(await page.locator("[data-screen=conversation]").getAttribute("data-applied")).toBe(String(events.at(-1)!.seq));

    // Reading earlier items: a new turn below moves nothing on screen (the list follows only at the bottom).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction((n) => document.querySelectorAll(".conversation [data-kind]").length > n, TRANSCRIPT_WINDOW, { timeout: 10_000 });
    await page.evaluate(() => window.scrollBy(0, 300));
    const firstDrawn = () => page.evaluate(() => {
      const first = document.querySelector(".conversation [data-seq]")!;
      return { seq: first.getAttribute("data-seq"), top: Math.round(first.getBoundingClientRect().top), scrollY: Math.round(window.scrollY) };
    });
    const reading = await firstDrawn();
    await lab.api(`/api/stream/${sid}`, { method: "POST", body: JSON.stringify({ prompt: "reply" }) });
    await expect.poll(async () => (await allEvents(sid)).filter((e) => e.type === "streamComplete").length, { timeout: 20_000 }).toBe(3);
    const more = await allEvents(sid);
    await page.waitForFunction((n) => Number(document.querySelector("[data-screen=conversation]")?.getAttribute("data-last-seq")) >= n, more.at(-1)!.seq, { timeout: 20_000 });
    expect(await firstDrawn()).toEqual(reading);
    expect((await where(page)).atBottom).toBe(false);

    await scrollUpToTheStart(page);
    await expectAllShown(page, sid, more);
    await phone.context.close();
  });
});
