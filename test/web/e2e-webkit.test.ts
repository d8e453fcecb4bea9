// The core journey in the Safari engine (WebKitGTK's MiniBrowser over WebDriver): pair, open a session, stream, approve, reconnect, reload.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import { parsePairingFragment } from "../../src/protocol/pairing-link.js";
import { ensureWebBuild, startFrontServer, type FrontServer } from "../helpers/browser.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";
import { hasWebKit, openWebKit, type WebKitPage } from "../helpers/webdriver.js";

if (!hasWebKit) {
  console.warn("test/web/e2e-webkit.test.ts: skipped, WebKitWebDriver, MiniBrowser or xvfb-run is missing (apt-get install webkit2gtk-driver xvfb xauth; .ci/run installs them)");
}

let front: FrontServer;
let d: TestDaemon;
let page: WebKitPage;
beforeAll(async () => {
  if (!hasWebKit) return;
  ensureWebBuild();
  front = await startFrontServer();
  d = await startTestDaemon({ env: { ALLOWED_ORIGINS: front.url, CLAUDE_ALLOWED_TOOLS: "Read" } });
  front.setTarget(d.url);
  page = await openWebKit();
}, 90_000);
afterAll(async () => {
  await page?.close();
  await front?.close();
  await d?.close();
  cleanupTempDirs();
});

const api = async <T>(path: string, init: RequestInit = {}) =>
  (await (await fetch(`${d.url}${path}`, { ...init, headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" } })).json()) as T;
const shown = (selector: string) => `return document.querySelectorAll(${JSON.stringify(selector)}).length > 0;`;
const count = (selector: string) => `return document.querySelectorAll(${JSON.stringify(selector)}).length;`;
const clickButton = (label: string) =>
  page.run(`const b = [...document.querySelectorAll("button")].find((x) => x.textContent.trim() === arguments[0] || x.getAttribute("aria-label") === arguments[0]); if (!b) throw new Error("no button " + arguments[0]); b.click();`, label);
const send = async (text: string) => {
  await page.type("textarea[aria-label=Prompt]", text);
  await page.click("button[aria-label=Send]");
};

describe.skipIf(!hasWebKit)("the Safari engine (WebKitGTK MiniBrowser over WebDriver)", { timeout: 180_000 }, () => {
  test("pair, open a session, stream, approve, reconnect after the network drops, reload: nothing lost, nothing twice", async () => {
    // Pair with the daemon's own QR link, read with the shared parser.
    const code = await api<{ url: string }>("/api/pairing-codes", { method: "POST", body: "{}" });
    const link = parsePairingFragment(new URL(code.url).hash)!;
    await page.goto(`${front.url}/#pair=${link.pairingToken}`);
    await page.until(shown("[data-screen=sessions]"));
    await page.until(shown("[data-conn=connected]"));
    expect(await page.run<string>("return location.hash;")).toBe("");

    // Open a session and stream an answer.
    await clickButton("+ New session");
    await page.until(shown("[data-screen=new-session]"));
    await clickButton("Start session");
    await page.until(shown("[data-screen=conversation][data-session-id]"));
    const sid = await page.run<string>(`return document.querySelector("[data-screen=conversation]").getAttribute("data-session-id");`);
    await send("slow");
    await page.until(shown(".bubble.assistant.streaming"));
    await page.until(`return document.querySelectorAll(".conversation [data-kind=result]").length >= 1;`);

    // Approve a tool use in its card.
    await send("permission webkit.txt");
    await page.until(shown("article.perm"));
    await clickButton("Allow");
    await page.until(shown("article.perm[data-resolved=allow]"));
    await page.until(`return document.querySelectorAll(".conversation [data-kind=result]").length >= 2;`);
    expect(existsSync(join(d.workDir, "webkit.txt"))).toBe(true);

    // The network drops while the user types: WebKit notices the dead socket only some milliseconds later,
    // so the pill still says connected for a moment. Every key typed across the reconnect stays in the box
    // (a disabled box lost its focus and the rest of the prompt), and Send goes once the page is back.
    await page.run(`window.__sawDrop = false; new MutationObserver(() => { if (document.querySelector("[data-conn]:not([data-conn=connected])")) window.__sawDrop = true; }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-conn"] });`);
    expect(front.dropSockets()).toBeGreaterThan(0);
    await page.type("textarea[aria-label=Prompt]", "reply");
    await page.until("return window.__sawDrop === true;");
    await page.until(shown("[data-conn=connected]"));
    expect(await page.run<string>(`return document.querySelector("textarea[aria-label=Prompt]").value;`)).toBe("reply");
    await page.click("button[aria-label=Send]");
    await page.until(`return document.querySelectorAll(".conversation [data-kind=result]").length >= 3;`);

    // Reload: the conversation comes back from the daemon's log, every event once. The turn's last events (its
    // sessionUpdate idle) may follow the result line the page shows: the log is read once the session is idle.
    await vi.waitFor(async () => expect((await api<{ state: string }>(`/api/sessions/${sid}`)).state).toBe("idle"), { timeout: 20_000, interval: 100 });
    const events = (await api<{ events: SessionEvent[] }>(`/api/sessions/${sid}/events?limit=5000`)).events;
    const lastSeq = events.at(-1)!.seq;
    // The mark tells the reloaded document from the old one (execute returns before the navigation).
    await page.run("window.__beforeReload = true; location.reload();");
    // Generous: a reload under load (CI shares two cores) re-pairs nothing but reloads the bundle and replays the log.
    await page
      .until(`return !window.__beforeReload && document.querySelector("[data-screen=conversation][data-last-seq='${lastSeq}']") !== null;`, [], 45_000)
      .catch(async (err: Error) => {
        // Say what the page shows instead (a WebKit-only replay bug would show up here first).
        const shows = await page.run<unknown>(`const c = document.querySelector("[data-screen]"); const n = document.querySelector("[data-conn]"); return { reloaded: !window.__beforeReload, screen: c && c.getAttribute("data-screen"), lastSeq: c && c.getAttribute("data-last-seq"), conn: n && n.getAttribute("data-conn") };`);
        throw new Error(`${err.message}; the page shows ${JSON.stringify(shows)}, the log ends at seq ${lastSeq}`);
      });
    expect(await page.run<string>(`return document.querySelector("[data-screen=conversation]").getAttribute("data-applied");`)).toBe(String(lastSeq));
    expect(await page.run<number>(count(".conversation [data-kind=result]"))).toBe(3);
    expect(await page.run<number>(count(".conversation [data-kind=user]"))).toBe(3);
  });
});
