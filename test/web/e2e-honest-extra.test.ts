// Issue 17 items e2e-honest does not reach, in Chromium at phone widths: restored sessions keep their last activity
// (a real daemon restarted), waiting, denied, queue order, answers and costs against a real daemon, one card per tool use that says each thing once,
// bypass with its warning, the offline placeholder.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import type { Page } from "playwright-core";
import { parsePairingFragment } from "../../src/protocol/pairing-link.js";
import { hasChromium, openPhone } from "../helpers/browser.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";
import { sendPrompt, shownItems, SLOW, useStubbedBrowser, waitForResults } from "./lab.js";
import { sessionInfo, stubDaemon } from "./stub-daemon.js";

if (!hasChromium) console.warn("test/web/e2e-honest-extra.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

const stubbed = useStubbedBrowser();
const SID = "33333333-3333-4333-8333-333333333333";
const HOUR = 3_600_000;

async function stubbedPhone(sessions: Parameters<typeof stubDaemon>[2], width = 390) {
  const phone = await openPhone(stubbed.browser);
  if (width !== 390) await phone.page.setViewportSize({ width, height: 780 });
  const stub = await stubDaemon(phone.page, stubbed.front.url, sessions);
  await phone.page.locator("[data-conn=connected]").waitFor();
  return { ...phone, stub };
}

/** A phone paired with a real daemon (behind the file's front server) by the daemon's own QR link. */
async function pairedWith(d: TestDaemon) {
  stubbed.front.setTarget(d.url);
  const code = (await d.rest("POST", "/api/pairing-codes", {})).body as { url: string };
  const phone = await openPhone(stubbed.browser);
  // What the daemon answered to the browser's WebSocket handshakes (Chromium offers permessage-deflate).
  const extensions: string[] = [];
  const cdp = await phone.context.newCDPSession(phone.page);
  await cdp.send("Network.enable");
  cdp.on("Network.webSocketHandshakeResponseReceived", (e) => {
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    extensions.push(headers["sec-websocket-extensions"] ?? "");
  });
  await phone.page.goto(`${stubbed.front.url}/#pair=${parsePairingFragment(new URL(code.url).hash)!.pairingToken}`);
  await phone.page.locator("[data-conn=connected]").waitFor();
  return { ...phone, extensions };
}

/** How many times `needle` is written in the element's text. */
const timesIn = async (page: Page, selector: string, needle: string) => ((await page.locator(selector).textContent()) ?? "").split(needle).length - 1;

describe.skipIf(!hasChromium)("issue 17, the rest: restart, cards said once, bypass, offline", SLOW, () => {
  test("after a daemon restart the list shows each session's own last activity, not 'just now', in the same order", async () => {
    const configDir = tempDir("cc-restart-");
    const workDir = tempDir("cc-restart-work-");
    const env = { ALLOWED_ORIGINS: stubbed.front.url, CLAUDE_ALLOWED_TOOLS: "Read" };
    const idle = (d: TestDaemon, id: string) =>
      vi.waitFor(async () => expect((await d.rest("GET", `/api/sessions/${id}`)).body.state).toBe("idle"), { timeout: 20_000, interval: 100 });
    // Two sessions of three hours and two hours ago: only the daemon's clock is set back (its timers run as usual).
    const now = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: now - 3 * HOUR, shouldAdvanceTime: true });
    let a: TestDaemon | undefined;
    let b: TestDaemon | undefined;
    try {
      a = await startTestDaemon({ configDir, workDir, env });
      const older = (await a.rest("POST", "/api/stream/start", { prompt: "reply older" })).body.sessionId as string;
      await idle(a, older);
      vi.setSystemTime(now - 2 * HOUR);
      const newer = (await a.rest("POST", "/api/stream/start", { prompt: "reply newer" })).body.sessionId as string;
      await idle(a, newer);
      vi.useRealTimers();
      await a.close();
      a = undefined;

      b = await startTestDaemon({ configDir, workDir, env });
      const phone = await pairedWith(b);
      const rows = phone.page.locator(".session-row");
      await vi.waitFor(async () => expect(await rows.count()).toBe(2), { timeout: 10_000, interval: 100 });
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-session-id")))).toEqual([newer, older]);
      expect(await rows.locator("time").allTextContents()).toEqual(["2 h ago", "3 h ago"]);
      await phone.context.close();
    } finally {
      vi.useRealTimers();
      await a?.close();
      await b?.close();
    }
  });

  test("against the real daemon: an approval waits 'for you' in the list, the card, the header and the footer; denied with a message, the card says denied and the message; the socket is permessage-deflate", async () => {
    const d = await startTestDaemon({ env: { ALLOWED_ORIGINS: stubbed.front.url, CLAUDE_ALLOWED_TOOLS: "Read" } });
    try {
      const sid = (await d.rest("POST", "/api/stream/start", { prompt: "permission kept-out.txt" })).body.sessionId as string;
      await vi.waitFor(async () => expect((await d.rest("GET", `/api/sessions/${sid}`)).body.pendingPermissions).toHaveLength(1), { timeout: 20_000, interval: 100 });
      const { page, context, extensions } = await pairedWith(d);
      // Issue 20: the phone's socket is compressed (the daemon accepts the browser's permessage-deflate offer).
      expect(extensions[0]).toMatch(/^permessage-deflate/);
      const row = page.locator(`[data-session-id="${sid}"]`);
      await row.locator(".state", { hasText: "waiting for you" }).waitFor();
      await row.click();
      const card = page.locator("article[data-tool=Write]");
      await card.locator(".tool-status", { hasText: "waiting for you" }).waitFor();
      await expect(page.locator(".bar-state").textContent()).resolves.toBe("waiting for you");
      await expect(page.locator("[data-waiting=true]").textContent()).resolves.toMatch(/Waiting for you/);
      expect(await page.getByText("Claude is working").count()).toBe(0);
      await card.getByRole("textbox", { name: /Message for Claude/ }).fill("not this file");
      await card.getByRole("button", { name: "Deny" }).click();
      await card.locator(".tool-status", { hasText: "denied" }).waitFor();
      await expect(card.textContent()).resolves.toContain("not this file");
      expect(await card.locator(".tool-status.failed").count()).toBe(0);
      expect(existsSync(join(d.workDir, "kept-out.txt"))).toBe(false);
      await context.close();
    } finally {
      await d.close();
    }
  });

  test("against the real daemon: a prompt queued during a turn is drawn after that turn's result; an answered question keeps the chosen option", async () => {
    const d = await startTestDaemon({ env: { ALLOWED_ORIGINS: stubbed.front.url, CLAUDE_ALLOWED_TOOLS: "Read" } });
    try {
      const sid = (await d.rest("POST", "/api/stream/start", { prompt: "slow" })).body.sessionId as string;
      expect((await d.rest("POST", `/api/stream/${sid}`, { prompt: "echo queued behind" })).body.queuePosition).toBe(1);
      const { page, context } = await pairedWith(d);
      await page.locator(`[data-session-id="${sid}"]`).click();
      await waitForResults(page, 2);
      const kinds = await shownItems(page);
      const firstResult = kinds.findIndex((i) => i.kind === "result");
      const queued = kinds.findIndex((i) => i.kind === "user" && i.text.includes("echo queued behind"));
      expect(firstResult).toBeGreaterThan(0);
      expect(queued).toBeGreaterThan(firstResult);
      // The question: tap an option; once answered the card still says which.
      await sendPrompt(page, "question");
      const card = page.locator("article[data-tool=AskUserQuestion]");
      await card.getByRole("button", { name: "Answer Blue" }).click();
      await waitForResults(page, 3);
      await expect(card.locator(".answers").textContent()).resolves.toContain("Blue");
      await context.close();
    } finally {
      await d.close();
    }
  });

  test("against the real daemon: each result line shows its own turn's cost, the header the session's total", async () => {
    const d = await startTestDaemon({ env: { ALLOWED_ORIGINS: stubbed.front.url, CLAUDE_ALLOWED_TOOLS: "Read" } });
    try {
      // The fake CLI reports Claude Code's running total per process: $0.0001 after the first turn, $0.0002 after the second.
      const sid = (await d.rest("POST", "/api/stream/start", { prompt: "reply" })).body.sessionId as string;
      await vi.waitFor(async () => expect((await d.rest("GET", `/api/sessions/${sid}`)).body.state).toBe("idle"), { timeout: 20_000, interval: 100 });
      await d.rest("POST", `/api/stream/${sid}`, { prompt: "reply" });
      const { page, context } = await pairedWith(d);
      await page.locator(`[data-session-id="${sid}"]`).click();
      await waitForResults(page, 2);
      const results = await page.locator(".conversation [data-kind=result]").allTextContents();
      expect(results.map((r) => r.match(/\$[\d.]+/)?.[0])).toEqual(["$0.0001", "$0.0001"]);
      await expect(page.locator(".bar-title").textContent()).resolves.toContain("$0.0002");
      await context.close();
    } finally {
      await d.close();
    }
  });

  test("one card per tool use: a Bash waiting for you says its description and command once, an Edit its file once", async () => {
    const bash = { command: "npm test -- --run", description: "Run the unit tests" };
    const edit = { file_path: "/home/me/app/src/store.ts", old_string: "let a = 1;", new_string: "const a = 1;" };
    const { page, context } = await stubbedPhone([
      {
        info: sessionInfo(SID, { state: "active", title: "Test it", pendingPermissions: [{ permissionId: "p1" }] }),
        events: [
          { type: "userMessage", data: { promptId: "u1", text: "Test it", images: 0 } },
          { type: "sessionUpdate", data: { state: "active", reason: "turn-started", queueLength: 0 } },
          { type: "streamToolUse", data: { phase: "use", toolUseId: "t1", name: "Bash", input: bash } },
          // Claude Code's request repeats the description beside the same input.
          { type: "permissionRequest", data: { permissionId: "p1", kind: "tool", toolName: "Bash", toolUseId: "t1", input: bash, description: bash.description, suggestions: [], expiresAt: Date.now() + 600_000 } },
          { type: "permissionResolved", data: { permissionId: "p1", decision: "allow", by: "client", client: "Android Chrome" } },
          { type: "streamToolUse", data: { phase: "result", toolUseId: "t1", isError: false, content: "ok" } },
          { type: "streamToolUse", data: { phase: "use", toolUseId: "t2", name: "Edit", input: edit } },
          { type: "permissionRequest", data: { permissionId: "p2", kind: "tool", toolName: "Edit", toolUseId: "t2", input: edit, description: "store.ts", suggestions: [], expiresAt: Date.now() + 600_000 } },
        ],
      },
    ]);
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    await page.locator("[data-screen=conversation][data-last-seq='8']").waitFor();
    await page.locator("article[data-tool=Edit] .tool-status", { hasText: "waiting for you" }).waitFor();
    // Two tool uses, two cards: the approvals are those cards, not cards of their own.
    expect(await page.locator(".conversation [data-kind]").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")))).toEqual(["user", "tool", "tool"]);
    expect(await page.locator("article[data-tool]").count()).toBe(2);
    expect(await timesIn(page, "article[data-tool=Bash]", bash.description)).toBe(1);
    expect(await timesIn(page, "article[data-tool=Bash]", bash.command)).toBe(1);
    expect(await page.locator("article[data-tool=Edit]").getByText("store.ts").count()).toBe(1);
    await context.close();
  });

  test("bypass is said with its warning: asked before switching, then on the chip and in the sheet; also when starting a session", async () => {
    const { page, stub, context, dialogs } = await stubbedPhone([{ info: sessionInfo(SID, { title: "Risky" }), events: [] }]);
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    await page.getByRole("button", { name: "Mode and model" }).click();
    const sheet = page.locator("[data-sheet=session]");
    const mode = sheet.getByLabel("Permission mode");
    // The phone asks first, saying what bypass does; refused (the helper dismisses dialogs), nothing changes.
    await mode.selectOption("bypassPermissions");
    await vi.waitFor(() => expect(dialogs).toEqual([expect.stringMatching(/^confirm: .*without asking you/)]), { timeout: 5_000, interval: 50 });
    await vi.waitFor(async () => expect(await mode.inputValue()).toBe("default"), { timeout: 5_000, interval: 50 });
    expect(stub.sent.filter((f) => f.type === "setPermissionMode")).toEqual([]);
    // Accepted: the switch is sent.
    await page.removeAllListeners("dialog");
    page.on("dialog", (d) => void d.accept());
    await mode.selectOption("bypassPermissions");
    expect((await stub.waitForSent("setPermissionMode")).data).toEqual({ mode: "bypassPermissions" });
    stub.live(SID, [{ type: "sessionUpdate", data: { state: "idle", reason: "permission-mode-changed", queueLength: 0, permissionMode: "bypassPermissions" } }]);
    await page.locator(".mode-chip.bypass[data-mode=bypassPermissions]").waitFor();
    await sheet.locator(".warn", { hasText: "without asking you" }).waitFor();
    await page.goto(`${stubbed.front.url}/#/`);
    await page.getByRole("button", { name: "+ New session" }).click();
    await page.locator("[data-screen=new-session]").getByLabel("Permission mode").selectOption("bypassPermissions");
    await page.locator("[data-screen=new-session] .warn", { hasText: "without asking you" }).waitFor();
    await context.close();
  });

  test("offline at 360 px: the prompt box says so in full, not clipped", async () => {
    const { page, context } = await stubbedPhone([{ info: sessionInfo(SID, { title: "Offline" }), events: [] }], 360);
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    const box = page.getByRole("textbox", { name: "Prompt" });
    await box.waitFor();
    await context.setOffline(true);
    await page.locator("[data-conn=offline]").waitFor();
    await expect(box.getAttribute("placeholder")).resolves.toBe("Offline: draft kept");
    // The placeholder's one line fits inside the box's content width.
    const fit = await box.evaluate((el) => {
      const g = globalThis as any;
      const style = g.getComputedStyle(el);
      const ctx = g.document.createElement("canvas").getContext("2d");
      ctx.font = style.font;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: Math.ceil(ctx.measureText(el.placeholder).width), room: Math.floor(room) };
    });
    expect(fit.text).toBeLessThanOrEqual(fit.room);
    await context.close();
  });
});
