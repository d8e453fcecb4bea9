// The History tab in Chromium at 390x844: terminal sessions listed, searched, read, live ones marked, continue and copy.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { copyHistoryFixtures, FIXTURE, type HistoryFixture } from "../helpers/history-fixtures.js";
import { tempDir } from "../helpers/tmp.js";
import { shot, SLOW, useLab } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-history.test.ts: skipped, /usr/bin/chromium is missing");

let fx: HistoryFixture;
const lab = useLab(
  () => {
    fx = copyHistoryFixtures();
    return { workDir: fx.workRoot, childEnv: { ...process.env, CLAUDE_CONFIG_DIR: fx.claudeConfigDir, FAKE_CLAUDE_STATE_DIR: tempDir("cc-fake-state-") } };
  },
  { timeoutMs: 90_000 },
);

describe.skipIf(!hasChromium)("History tab", SLOW, () => {
  test("lists terminal sessions with live marks, searches, opens a transcript, copies the resume command, continues one on the phone", async () => {
    // This test process stands in for a terminal writing the tool session.
    const reg = path.join(fx.claudeConfigDir, "sessions");
    mkdirSync(reg, { recursive: true });
    writeFileSync(path.join(reg, `${process.pid}.json`), JSON.stringify({ pid: process.pid, sessionId: FIXTURE.tool }));
    const { page } = await lab.pairedPhone();
    await page.getByRole("link", { name: "History" }).click();
    const rows = page.locator(".history-row");
    await rows.first().waitFor();
    expect(await page.locator(`.history-row[data-session-id="${FIXTURE.plain}"] .row-title`).textContent()).toBe("Explain the build system please");
    const live = page.locator(`.history-row[data-session-id="${FIXTURE.tool}"]`);
    expect(await live.getAttribute("data-live")).toBe("true");
    expect(await live.locator(".state").textContent()).toBe("live in a terminal");
    expect(await live.getByRole("button", { name: "Fork here" }).count()).toBe(1);
    await shot(page, "history");

    await page.getByRole("searchbox", { name: "Search history" }).fill("third turn");
    await page.locator(".history-row").first().waitFor();
    await expect.poll(() => page.locator(".history-row").count()).toBe(1);

    await page.locator(`.history-row[data-session-id="${FIXTURE.plain}"] .history-actions button`, { hasText: "Copy terminal command" }).click();
    await expect.poll(async () => (await page.locator(".toast").textContent()) ?? "").toMatch(/Copied|claude --resume/);

    await page.locator(`.history-row[data-session-id="${FIXTURE.plain}"] a.session-row`).click();
    await page.locator("[data-screen=history-session] .bubble.assistant").first().waitFor();
    expect(await page.locator(".bubble.user").allTextContents()).toEqual(["Explain the build system please", "Second turn here", "Third turn from other dir"]);
    expect(await page.locator(".resume-command").textContent()).toBe(`cd ${fx.dirOf("/tmp/hgen/proj/my.app")} && claude --resume ${FIXTURE.plain}`);
    await shot(page, "history-session");

    await page.getByRole("button", { name: "Continue here" }).click();
    await page.waitForURL(`**/#/s/${FIXTURE.plain}`);
    rmSync(path.join(reg, `${process.pid}.json`), { force: true });
  });
});
