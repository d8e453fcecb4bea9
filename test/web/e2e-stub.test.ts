// The phone client in Chromium against a stubbed server (page.routeWebSocket): seq order, duplicates, one resubscribe on a gap, inert payloads.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { hasChromium, openPhone } from "../helpers/browser.js";
import { shot, shownItems, SLOW, useStubbedBrowser } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-stub.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

// Only the page is real here: /api is answered by page.route and /ws by page.routeWebSocket.
const stubbed = useStubbedBrowser();

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
  /** The REST side of a daemon: pairing (any code works), the token probe and the session list. */
  const stubRest = async (page: Page, sessions: unknown[]) => {
    await page.route("**/api/pair", (r) => r.fulfill({ json: { deviceId: "d1", deviceToken: "stub-device-token-0123456789", deviceName: "Android Chrome" } }));
    await page.route("**/api/info", (r) => r.fulfill({ json: {} }));
    await page.route("**/api/sessions", (r) => r.fulfill({ json: { sessions } }));
  };
  const ev = (seq: number, type: string, data: unknown) => JSON.stringify({ seq, sessionId: SID, ts: Date.now(), type, data });

  test("duplicates are ignored, a gap resubscribes once from lastSeq, and the payloads stay inert", async () => {
    const phone = await openPhone(stubbed.browser);
    const { page } = phone;
    const subscribes: unknown[] = [];
    await stubRest(page, [info]);
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
    await page.goto(`${stubbed.front.url}/#pair=stub-pairing-code-0123`);
    await page.locator(`[data-session-id="${SID}"]`).click();
    await page.locator("[data-screen=conversation][data-last-seq='5']").waitFor();
    expect(subscribes).toEqual([{ lastSeq: 0, batch: true, omitStreamEvents: true }, { lastSeq: 2, batch: true, omitStreamEvents: true }]);
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
    expect(phone.requests.filter((u) => !u.startsWith(stubbed.front.url) || /\/x$/.test(u))).toEqual([]);
    await shot(page, "xss-inert");
    await phone.context.close();
  });
});
