// Chromium at 390x844: an open conversation handed to a terminal follows it live, then resumes on the phone; the History tab's windowed transcript.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { tempDir } from "../helpers/tmp.js";
import { newSession, sendPrompt, shot, shownItems, SLOW, useLab, waitForResults } from "./lab.js";

// The page functions run in the browser.
declare const window: { scrollTo(x: number, y: number): void };

if (!hasChromium) console.warn("test/web/e2e-follow.test.ts: skipped, /usr/bin/chromium is missing");

let claudeConfigDir: string;
const lab = useLab(
  () => {
    claudeConfigDir = tempDir("cc-claude-config-");
    return { childEnv: { ...process.env, CLAUDE_CONFIG_DIR: claudeConfigDir, FAKE_CLAUDE_STATE_DIR: tempDir("cc-fake-state-") } };
  },
  { timeoutMs: 90_000 },
);

/** Claude Code's transcript of a session, written as the CLI writes it (the fake CLI writes none). */
function transcript(sessionId: string, cwd: string) {
  const dir = path.join(claudeConfigDir, "projects", "-follow");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sessionId}.jsonl`);
  let n = 0;
  const rec = (type: "user" | "assistant", content: unknown) =>
    JSON.stringify({ parentUuid: null, isSidechain: false, type, uuid: `77777777-0000-4000-8000-${String(++n).padStart(12, "0")}`, timestamp: new Date(1_800_000_000_000 + n * 1000).toISOString(), cwd, sessionId, message: { role: type, ...(type === "assistant" ? { id: `msg_${n}` } : {}), content } }) + "\n";
  return {
    write: (...lines: string[]) => writeFileSync(file, lines.join("")),
    append: (...lines: string[]) => appendFileSync(file, lines.join("")),
    user: (text: string) => rec("user", text),
    assistant: (text: string) => rec("assistant", [{ type: "text", text }]),
  };
}

describe.skipIf(!hasChromium)("following a terminal", SLOW, () => {
  test("the open conversation shows 'Continued in the terminal', the terminal's turn appears live, Resume here keeps it and goes on", async () => {
    const { page } = await lab.pairedPhone();
    const sid = await newSession(page);
    await sendPrompt(page, "reply on the phone first");
    await waitForResults(page, 1);
    const info = (await lab.api<{ sessions: { sessionId: string; workingDirectory: string }[] }>("/api/sessions")).sessions.find((s) => s.sessionId === sid)!;
    const t = transcript(sid, info.workingDirectory);
    t.write(t.user("reply on the phone first"), t.assistant("Hello from fake Claude."));

    // `claude-companion resume <id>` in a terminal: the daemon lets go.
    await lab.api(`/api/history/${sid}/handoff`, { method: "POST", body: "{}" });
    const notice = page.locator("[data-handoff=true]");
    await notice.waitFor();
    expect(await notice.locator("strong").textContent()).toBe("Continued in the terminal");
    expect(await notice.locator(".resume-command").textContent()).toBe(`cd ${info.workingDirectory} && claude --resume ${sid}`);
    expect(await page.getByRole("textbox", { name: "Prompt" }).count()).toBe(0);
    expect(await page.locator(".terminal-bar").getByRole("button", { name: "Resume here" }).count()).toBe(1);
    expect(await page.locator(".terminal-bar").getByRole("button", { name: "Fork" }).count()).toBe(1);

    // The terminal writes a turn: it appears below the notice, with no reload and nothing marked queued.
    t.append(t.user("a turn typed in the terminal"), t.assistant("Answer written by the terminal"));
    await page.locator(".bubble.assistant", { hasText: "Answer written by the terminal" }).waitFor();
    const shown = await shownItems(page);
    const at = (text: string) => shown.findIndex((s) => s.text === text);
    expect(at("reply on the phone first")).toBeGreaterThanOrEqual(0);
    expect(shown.findIndex((s) => s.kind === "notice")).toBeLessThan(at("a turn typed in the terminal"));
    expect(at("a turn typed in the terminal")).toBeLessThan(at("Answer written by the terminal"));
    expect(await page.locator(".tag", { hasText: "queued" }).count()).toBe(0);
    await shot(page, "handoff-follow");

    // Opened again (a reload): the same conversation, the notice, the terminal's turn, and still followed.
    await page.reload();
    await page.locator(".bubble.assistant", { hasText: "Answer written by the terminal" }).waitFor();
    expect((await shownItems(page)).map((s) => s.text)).toEqual(shown.map((s) => s.text));
    expect(await page.locator(".terminal-bar").count()).toBe(1);
    t.append(t.user("typed after the reload"));
    await page.locator(".bubble.user", { hasText: "typed after the reload" }).waitFor();

    // Back on the phone: the terminal's turn stays (once), the session runs again, and the page equals the daemon's log.
    await page.getByRole("button", { name: "Resume here" }).click();
    await page.getByRole("textbox", { name: "Prompt" }).waitFor();
    await sendPrompt(page, "reply back on the phone");
    await waitForResults(page, 2);
    const events = await lab.expectTranscriptEqualsLog(page, sid);
    expect(events.filter((e) => e.type === "userMessage").map((e) => e.data.text)).toEqual(["reply on the phone first", "a turn typed in the terminal", "typed after the reload", "reply back on the phone"]);
    expect(await page.locator(".bubble.assistant", { hasText: "Answer written by the terminal" }).count()).toBe(1);
  });

  test("the History tab draws a long transcript in windows (last 40 items, more at the top) with the conversation's items, and follows it live", async () => {
    const sid = "88888888-8888-4888-8888-888888888888";
    const cwd = lab.d.workDir;
    const t = transcript(sid, cwd);
    const lines: string[] = [];
    for (let i = 1; i <= 30; i++) lines.push(t.user(`terminal prompt ${i}`), t.assistant(`**answer** ${i}`));
    t.write(...lines);
    const { page } = await lab.pairedPhone();
    await page.goto(`${lab.front.url}/#/h/${sid}`);
    await page.locator("[data-screen=history-session] .bubble.assistant").first().waitFor();
    await expect.poll(() => page.locator("[data-screen=history-session] [data-kind]").count()).toBe(40);
    // The conversation's own items: Markdown drawn, no "queued" tag on a terminal's prompt.
    expect(await page.locator("[data-screen=history-session] .bubble.assistant strong").first().textContent()).toBe("answer");
    expect(await page.locator(".tag", { hasText: "queued" }).count()).toBe(0);
    expect(await page.locator("[data-earlier]").getAttribute("data-earlier")).toBe("20");
    // Reaching the top draws the earlier items.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => page.locator("[data-screen=history-session] [data-kind]").count()).toBe(60);
    expect(await page.locator("[data-screen=history-session] .bubble.user .plain").first().textContent()).toBe("terminal prompt 1");
    // Followed live over the WebSocket.
    t.append(t.user("one more from the terminal"));
    await page.locator(".bubble.user", { hasText: "one more from the terminal" }).waitFor();

    // Continued on the phone: the conversation is the daemon's session, drawn from its own log (not the transcript's view).
    await page.getByRole("button", { name: "Continue here" }).click();
    await page.waitForURL(`**/#/s/${sid}`);
    await page.locator("[data-screen=conversation][data-state=idle]").waitFor();
    await sendPrompt(page, "reply on the phone now");
    await waitForResults(page, 1);
    await lab.expectTranscriptEqualsLog(page, sid);
  });
});
