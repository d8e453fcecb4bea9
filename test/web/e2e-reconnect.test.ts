// The phone client in Chromium: sockets dropped mid-stream, a phone asleep on an open socket, offline, a resume past the log.
import type { SessionEvent } from "../../src/protocol/events.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasChromium, openPhone } from "../helpers/browser.js";
import { newSession, sendPrompt, shownItems, SLOW, startLab, streamedUpTo, useLab, waitForResults, wake, type Lab } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-reconnect.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

const lab = useLab();

describe.skipIf(!hasChromium)("reconnects in Chromium", SLOW, () => {
  test("the sockets drop mid-stream twice: the page reconnects and shows the session log exactly once", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    await sendPrompt(page, "slow");
    await streamedUpTo(page, "w3");
    expect(lab.front.dropSockets()).toBeGreaterThan(0);
    await page.locator("[data-conn=reconnecting]").waitFor({ timeout: 5000 });
    await page.locator("[data-conn=connected]").waitFor({ timeout: 15_000 });
    await streamedUpTo(page, "w15");
    expect(lab.front.dropSockets()).toBeGreaterThan(0);
    await page.locator("[data-conn=connected]").waitFor({ timeout: 15_000 });
    await waitForResults(page, 2);

    await lab.expectTranscriptEqualsLog(page, sid);
    const shown = await shownItems(page);
    expect(shown.filter((s) => s.kind === "assistant").map((s) => s.text)).toEqual([
      "Hello from fake Claude.",
      Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "),
    ]);
    await phone.context.close();
  });

  test("a phone that slept on an open socket: on wake a ping without pong reconnects and the missed turn appears once", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    expect(lab.front.freezeSockets()).toBeGreaterThan(0);
    // Meanwhile someone else (here: REST with the master token) runs a turn the phone cannot see.
    await lab.api(`/api/stream/${sid}`, { method: "POST", body: JSON.stringify({ prompt: "echo while the phone slept" }) });
    await expect.poll(async () => (await lab.restEvents(sid)).filter((e) => e.type === "streamComplete").length, { timeout: 10_000 }).toBe(2);
    await wake(page);
    await waitForResults(page, 2);
    await page.locator("[data-conn=connected]").waitFor();
    await lab.expectTranscriptEqualsLog(page, sid);
    await expect(page.locator(".bubble.assistant").last().textContent()).resolves.toContain("while the phone slept");
    await phone.context.close();
  });

  test("offline: the pill says so, the prompt box keeps what you type (Send waits); back online it is sent", async () => {
    const phone = await lab.pairedPhone();
    const { page, context } = phone;
    await newSession(page);
    const box = page.getByRole("textbox", { name: "Prompt" });
    await box.click();
    await context.setOffline(true);
    await page.locator("[data-conn=offline]").waitFor();
    // A disabled box would lose its focus and every key typed after the drop.
    await page.keyboard.type("reply");
    await expect(box.inputValue()).resolves.toBe("reply");
    await expect(page.evaluate("document.activeElement && document.activeElement.getAttribute(\"aria-label\")")).resolves.toBe("Prompt");
    await expect(page.getByRole("button", { name: "Send" }).isDisabled()).resolves.toBe(true);
    await context.setOffline(false);
    await page.locator("[data-conn=connected]").waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "Send" }).click();
    await waitForResults(page, 1);
    await expect(box.inputValue()).resolves.toBe("");
    await phone.context.close();
  });
});

describe.skipIf(!hasChromium)("a phone away longer than the daemon keeps events", SLOW, () => {
  // A daemon that keeps very few events in memory, so a phone away for one turn misses some for good.
  let small: Lab;
  beforeAll(async () => {
    // Deltas not coalesced, so `long 300` is 300 events and overflows what is kept.
    small = await startLab({ eventLogLimits: { maxEvents: 60, maxBytes: 4096, deltaFlushMs: 0 } });
  }, 60_000);
  afterAll(() => small?.close());

  test("the resubscribe gets a snapshot: the view is rebuilt from it and the retained events, in order, once", async () => {
    const phone = await openPhone(small.browser);
    const { page } = phone;
    await page.goto((await small.pairingLink()).url);
    await page.locator("[data-conn=connected]").waitFor();
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    small.front.freezeSockets();
    const headers = { authorization: `Bearer ${small.d.token}`, "content-type": "application/json" };
    await fetch(`${small.d.url}/api/stream/${sid}`, { method: "POST", headers, body: JSON.stringify({ prompt: "long 300" }) });
    const log = async () => (await (await fetch(`${small.d.url}/api/sessions/${sid}/events?limit=5000`, { headers })).json()) as { gap: boolean; lastSeq: number; events: SessionEvent[] };
    await expect.poll(async () => (await log()).events.some((e) => e.type === "streamComplete" && (e.data as { result: string }).result === "long 300 done"), { timeout: 15_000 }).toBe(true);
    const { lastSeq } = await log();
    await wake(page);
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
