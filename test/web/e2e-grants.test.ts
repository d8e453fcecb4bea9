// "Always allow" grants in Chromium at 390x844 against a real daemon and the fake CLI: the button says what it grants, the session sheet lists what the daemon recorded (SessionInfo.grants), a tap on Revoke takes one back and the command asks again.
import { describe, expect, test } from "vitest";
import type { SessionInfo } from "../../src/protocol/sessions.js";
import { hasChromium } from "../helpers/browser.js";
import { newSession, sendPrompt, shot, SLOW, useLab, waitForResults } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-grants.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

const lab = useLab();

describe.skipIf(!hasChromium)("Always allow grants in the session header", SLOW, () => {
  test("the header lists the grant the daemon recorded, a 44 px Revoke takes it back, and the same command asks again", async () => {
    const { page, context } = await lab.pairedPhone();
    const sid = await newSession(page);
    await sendPrompt(page, "bash");
    const card = page.locator("article[data-tool=Bash]");
    // Before the tap: what it grants (the session's own directory is not a grant).
    await expect(card.locator(".grants").textContent()).resolves.toBe("Always allow will allow Bash `npm test`; accept every file edit in this session.");
    // The header names the session by its title (its first prompt, from the session's own events: the prompt came
    // before the card), not by its directory, without waiting for a session list.
    await expect(page.locator(".bar-title h1").textContent()).resolves.toBe("bash");
    await card.getByRole("button", { name: "Always allow" }).click();
    await waitForResults(page, 1);

    // The header's chip shows there are grants before it is opened.
    await page.locator(".mode-chip[data-grants='2']").waitFor();
    await page.getByRole("button", { name: "Mode and model, 2 granted by Always allow" }).click();
    const list = page.locator("[data-sheet=session] .grants-list");
    await expect.poll(() => list.locator("li span").allTextContents()).toEqual(["allow Bash `npm test`", "accept every file edit in this session"]);
    const revoke = list.getByRole("button", { name: "Revoke: allow Bash `npm test`" });
    const box = (await revoke.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
    await revoke.scrollIntoViewIfNeeded();
    await shot(page, "grants");

    // While Claude works, a rule cannot be revoked (it would restart Claude mid-turn): the button waits.
    await sendPrompt(page, "slow");
    await page.locator("[data-screen=conversation][data-state=active]").waitFor();
    await expect.poll(() => revoke.isDisabled()).toBe(true);
    await expect(list.getByRole("button", { name: "Revoke: accept every file edit in this session" }).isDisabled()).resolves.toBe(false);
    await waitForResults(page, 2);
    await expect.poll(() => revoke.isDisabled()).toBe(false);

    await revoke.click();
    await expect.poll(() => list.locator("li span").allTextContents()).toEqual(["accept every file edit in this session"]);
    const info = await lab.api<SessionInfo>(`/api/sessions/${sid}`);
    expect(info.grants.map((g) => g.kind)).toEqual(["mode"]);

    // The rule is gone from Claude too: the same command asks again.
    await sendPrompt(page, "bash");
    const again = page.locator("article[data-tool=Bash]").nth(1);
    await again.getByRole("button", { name: "Always allow" }).waitFor();
    await again.getByRole("button", { name: "Deny" }).click();
    await waitForResults(page, 3);

    // The mode: back to default at once, and the list says nothing is granted.
    await list.getByRole("button", { name: "Revoke: accept every file edit in this session" }).click();
    await page.locator(".mode-chip[data-mode=default]").waitFor();
    await page.locator("[data-sheet=session] [data-grants='0']").waitFor();
    await page.locator(".mode-chip[data-grants='0']").waitFor();
    await context.close();
  });
});
