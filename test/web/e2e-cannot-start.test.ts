// Issue 17 defect 5 in Chromium at 390x844: a session whose Claude fails the same way twice says "cannot start" in the list and the header, with the reason and what to do; a prompt after the fix clears it.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { tempDir } from "../helpers/tmp.js";
import { newSession, sendPrompt, shot, SLOW, useLab } from "./lab.js";

// The fake CLI refuses to start (stderr line, exit 1, nothing on stdout) while this file exists.
const errDir = tempDir("cc-e2e-cannot-");
const errorFile = join(errDir, "start-error.txt");
const REASON = "Error: Invalid settings in ~/.claude/settings.json: Unexpected token } at line 3";

const lab = useLab(() => {
  mkdirSync(errDir, { recursive: true });
  return { childEnv: { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-e2e-cannot-state-"), FAKE_CLAUDE_START_ERROR_FILE: errorFile } };
});

describe.skipIf(!hasChromium)("a session that cannot start, in Chromium", SLOW, () => {
  test("twice the same failure: the list badge and the header say cannot start, the footer gives the reason and what to do; fixed, a prompt clears it", async () => {
    writeFileSync(errorFile, `${REASON}\n`);
    const phone = await lab.pairedPhone();
    const { page } = phone;
    // The new session's Claude fails at once (first start failure): an error block, the session is still "idle".
    const sid = await newSession(page);
    await page.locator(".conversation [data-kind=error][data-code=CLAUDE_EXITED]").first().waitFor();
    await page.locator("[data-screen=conversation][data-state=idle]").waitFor();
    expect(await page.locator("[data-cannot-start]").count()).toBe(0);

    // The prompt tries again and fails the same way: the daemon says it cannot start.
    await sendPrompt(page, "hello");
    const panel = page.locator("[data-cannot-start=true]");
    await panel.waitFor({ timeout: 20_000 });
    await expect(page.locator(".bar-state").textContent()).resolves.toBe("cannot start");
    await expect(panel.locator(".cannot-start-reason").textContent()).resolves.toBe(REASON);
    await expect(panel.textContent()).resolves.toMatch(/2 times in a row.*exit code 1/);
    await expect(panel.locator(".cannot-start-advice").textContent()).resolves.toMatch(/then send a prompt: the daemon tries again/);
    // Everything fits the phone's width.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "cannot-start");

    await page.getByRole("button", { name: "Back to sessions" }).click();
    const row = page.locator(`[data-session-id="${sid}"]`);
    await expect(row.locator(".state").textContent()).resolves.toBe("cannot start");
    await expect(row.getAttribute("data-shown-state")).resolves.toBe("cannot-start");

    // Fixed on the computer: the next prompt starts Claude, it answers, and "cannot start" is gone everywhere.
    rmSync(errorFile);
    await row.click();
    await sendPrompt(page, "reply");
    await page.locator(".conversation [data-kind=result]:not(.err)").waitFor({ timeout: 20_000 });
    await page.locator("[data-screen=conversation][data-state=idle]").waitFor();
    expect(await panel.count()).toBe(0);
    expect(await page.locator(".bar-state").count()).toBe(0);
    await page.getByRole("button", { name: "Back to sessions" }).click();
    await expect(row.locator(".state").textContent()).resolves.toBe("idle");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});
