// The phone client in Chromium: new session, streaming, Markdown, tool and permission cards, questions, queue, interrupt, resume, XSS.
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, test } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { newSession, sendPrompt, shot, SLOW, useLab, streamedUpTo, waitForResults } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-conversation.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

const lab = useLab();

describe.skipIf(!hasChromium)("conversation in Chromium", SLOW, () => {
  test("new session -> prompt -> the answer streams in and is finalised with a result line", async () => {
    const phone = await lab.pairedPhone();
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
    // The message as rendered (the bubble also holds its "Message actions" button).
    const bubble = page.locator(".bubble.assistant").last().locator(".md");
    expect((await bubble.textContent())?.trim()).toBe(Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "));
    await expect(page.getByRole("button", { name: "Interrupt" }).count()).resolves.toBe(0);
    await expect(page.locator("[data-kind=result]").last().textContent()).resolves.toMatch(/Done · .* · \$0\.000/);
    // Markdown: a heading, a list, inline code and a fenced code block.
    await sendPrompt(page, "echo this back:\n\n### Plan\n\n1. Read `src/app.ts`\n2. Fix the **bug**\n\n```ts\nconst x: number = 1 << 4;\n```");
    await waitForResults(page, 2);
    const md = page.locator(".bubble.assistant").last();
    await expect(md.locator("h3").textContent()).resolves.toBe("Plan");
    // The code as written (the block also holds its language name and Copy button, outside <code>).
    await expect(md.locator("pre code").textContent()).resolves.toBe("const x: number = 1 << 4;");
    await expect(md.locator("ol li").count()).resolves.toBe(2);
    await shot(page, "conversation");
    // Nothing is fetched from anywhere but the daemon (no CDN, no fonts, no images from Claude's text).
    expect(phone.requests.filter((u) => !u.startsWith(`${lab.front.url}/`))).toEqual([]);
    // The list shows the session with its title (the first prompt, from the daemon's SessionInfo), last message, directory and state.
    await page.getByRole("button", { name: "Back to sessions" }).click();
    const row = page.locator(`[data-session-id="${sid}"]`);
    await row.waitFor();
    await expect(row.locator(".row-title").textContent()).resolves.toBe("slow");
    await expect(row.locator(".row-last").textContent()).resolves.toBe("echo this back:");
    await expect(row.locator(".row-meta").textContent()).resolves.toContain(basename(lab.d.workDir));
    await expect(row.getAttribute("data-state")).resolves.toBe("idle");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("permission -> Allow writes the file; Deny with a message does not", async () => {
    const phone = await lab.pairedPhone();
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
    await expect(card.textContent()).resolves.toMatch(/Allowed by Android Chrome/);
    await waitForResults(page, 1);
    expect(existsSync(join(lab.d.workDir, "allowed.txt"))).toBe(true);
    await expect(page.locator("article.tool[data-tool=Write]").first().textContent()).resolves.toContain("allowed.txt");

    await sendPrompt(page, "permission denied.txt");
    const second = page.locator("article.perm").nth(1);
    await second.waitFor();
    await second.getByRole("textbox", { name: /Message for Claude/ }).fill("not this file");
    await second.getByRole("button", { name: "Deny" }).click();
    await page.locator("article.perm[data-resolved=deny]").waitFor();
    await waitForResults(page, 2);
    expect(existsSync(join(lab.d.workDir, "denied.txt"))).toBe(false);
    await expect(second.textContent()).resolves.toContain("not this file");
    const events = await lab.restEvents(sid);
    expect(events.filter((e) => e.type === "permissionResolved").map((e) => (e.data as { decision: string }).decision)).toEqual(["allow", "deny"]);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("AskUserQuestion: tapping an option answers it", async () => {
    const phone = await lab.pairedPhone("light");
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

  test("a prompt sent while a turn runs is shown queued, then runs; Interrupt stops a turn", async () => {
    const phone = await lab.pairedPhone();
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
    await lab.expectTranscriptEqualsLog(page, sid);
    await phone.context.close();
  });

  test("a session closed elsewhere says so; Resume continues it with its history and the same log", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    await sendPrompt(page, "reply");
    await waitForResults(page, 1);
    await lab.api(`/api/stream/${sid}`, { method: "DELETE" });
    await page.locator("[data-screen=conversation][data-state=closed]").waitFor();
    await page.getByRole("button", { name: "Resume" }).click();
    await page.getByRole("textbox", { name: "Prompt" }).waitFor();
    await sendPrompt(page, "history");
    await waitForResults(page, 2);
    await expect(page.locator(".bubble.assistant").last().textContent()).resolves.toContain("History (1): reply");
    await lab.expectTranscriptEqualsLog(page, sid);
    await phone.context.close();
  });

  test("Claude's text with HTML, javascript: links and images: nothing runs, nothing is fetched", async () => {
    const phone = await lab.pairedPhone();
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
