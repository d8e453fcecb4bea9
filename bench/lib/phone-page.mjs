// A throttled phone for the web benchmarks: headless Chromium at 390x844, CPU slowed 4x by CDP, paired with a daemon,
// its WebSockets wrapped so the bench can send it away (asleep, offline) and time each socket's open.
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

// The same flags as the e2e tests (test/helpers/browser.ts).
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

// Runs in the page before its scripts: every WebSocket is kept in __bench.sockets; while __bench.away it cannot connect.
const INIT = () => {
  const Native = window.WebSocket;
  const bench = { away: false, sockets: [], opens: [] };
  window.__bench = bench;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(bench.away ? "ws://127.0.0.1:9/away" : url, protocols);
      bench.sockets.push(this);
      this.addEventListener("open", () => bench.opens.push(performance.now()));
    }
  };
};

/** A phone page, throttled; `pairUrl` (the daemon's pairing link) pairs it. */
export async function openThrottledPhone(browser, { rate = 4 } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    colorScheme: "dark",
    userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
  });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  return { context, page, errors, close: () => context.close() };
}

/** Pairs the page with the daemon by opening a fresh pairing link, as a phone scanning the QR code does. */
export async function pair(page, daemon) {
  const res = await fetch(`${daemon.url}/api/pairing-codes`, { method: "POST", headers: { authorization: `Bearer ${daemon.token}`, "content-type": "application/json" }, body: "{}" });
  const { url } = await res.json();
  await page.goto(`${daemon.url}/${new URL(url).hash}`);
  await page.locator("[data-session-id]").first().waitFor({ timeout: 60_000 });
}

/**
 * In the page: resolves (ms from `t0`, performance.now() of the page) at the first animation frame where the conversation
 * has applied `lastSeq` (or later), its last item (if any) is on screen and the page is scrolled to the bottom.
 */
export const WAIT_READY = ({ lastSeq, t0, timeoutMs }) =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    const check = () => {
      const main = document.querySelector("main.conversation");
      if (main && Number(main.dataset.lastSeq) >= lastSeq) {
        const items = main.querySelectorAll("[data-seq]");
        const last = items[items.length - 1];
        const atBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 4;
        const r = last?.getBoundingClientRect();
        if (atBottom && (!r || (r.top < window.innerHeight && r.bottom > 0))) return resolve({ ms: performance.now() - t0, items: items.length, nodes: document.getElementsByTagName("*").length });
      }
      if (performance.now() - start > timeoutMs) return reject(new Error(`not ready within ${timeoutMs} ms (lastSeq ${main?.dataset.lastSeq} of ${lastSeq})`));
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });

/** Taps the session's row in the list and times it to a usable, scrolled-to-bottom conversation. */
export async function timeOpenFromList(page, sessionId, lastSeq, timeoutMs = 60_000) {
  await page.locator(`[data-session-id="${sessionId}"]`).first().waitFor({ timeout: timeoutMs });
  return page.evaluate(
    ({ sessionId, lastSeq, timeoutMs, wait }) => {
      const ready = new Function(`return (${wait})`)();
      const t0 = performance.now();
      document.querySelector(`[data-session-id="${sessionId}"]`).click();
      return ready({ lastSeq, t0, timeoutMs });
    },
    { sessionId, lastSeq, timeoutMs, wait: WAIT_READY.toString() },
  );
}

/** Waits until the open conversation is ready (no timing). */
export function waitReady(page, lastSeq, timeoutMs = 60_000) {
  return page.evaluate(
    ({ lastSeq, timeoutMs, wait }) => new Function(`return (${wait})`)()({ lastSeq, t0: performance.now(), timeoutMs }),
    { lastSeq, timeoutMs, wait: WAIT_READY.toString() },
  );
}

/** The phone goes away: its sockets are closed and it cannot connect until `comeBack`. */
export function goAway(page) {
  return page.evaluate(() => {
    window.__bench.away = true;
    for (const s of window.__bench.sockets) s.close();
  });
}

/**
 * The phone is back (the `online` event makes it reconnect at once); times the new socket's open to a usable view
 * showing `lastSeq`. Returns { ms (open → ready), fromOnlineMs (online event → ready), items, nodes }.
 */
export function timeCatchUp(page, lastSeq, timeoutMs = 60_000) {
  return page.evaluate(
    async ({ lastSeq, timeoutMs, wait }) => {
      const ready = new Function(`return (${wait})`)();
      const bench = window.__bench;
      const opensBefore = bench.opens.length;
      bench.away = false;
      const t0 = performance.now();
      window.dispatchEvent(new Event("online"));
      const r = await ready({ lastSeq, t0, timeoutMs });
      const opened = bench.opens[opensBefore];
      return { ...r, fromOnlineMs: r.ms, ms: opened === undefined ? Number.NaN : r.ms + t0 - opened };
    },
    { lastSeq, timeoutMs, wait: WAIT_READY.toString() },
  );
}
