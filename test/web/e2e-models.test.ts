// The model picker in Chromium at 390x844: the new-session screen and the session sheet offer the models the CLI reported, plus a free field.
import { describe, expect, test } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { SLOW, useLab } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-models.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

// The warm spare answers initialize at start: its model list is there before any session.
const lab = useLab({ env: { WARM_POOL: "1" } });

describe.skipIf(!hasChromium)("the model picker", SLOW, () => {
  test("starting a session offers the CLI's models with their labels and the aliases; a typed name is used", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    await expect.poll(async () => (await lab.api<{ source: string }>("/api/models")).source, { timeout: 20_000 }).toBe("claude");
    await page.getByRole("button", { name: "+ New session" }).click();
    await page.locator("[data-screen=new-session]").waitFor();
    await page.locator("#new-model-choices[data-reported='1']").waitFor({ state: "attached" });
    const options = await page.locator("#new-model-choices option").evaluateAll((os) => os.map((o) => [o.getAttribute("value"), o.getAttribute("label")]));
    expect(options).toEqual([["default", "Default (recommended): Fake model"], ["sonnet", null], ["opus", null], ["haiku", null]]);
    // The free field: any other name goes to the CLI as typed.
    await page.getByLabel("Model").fill("claude-custom-9");
    await page.getByRole("button", { name: "Start session" }).click();
    const conv = page.locator("[data-screen=conversation][data-session-id]");
    await conv.waitFor();
    const sid = (await conv.getAttribute("data-session-id"))!;
    await expect.poll(async () => (await lab.api<{ model?: string }>(`/api/sessions/${sid}`)).model).toBe("claude-custom-9");
    // The session sheet offers the same list.
    await page.getByRole("button", { name: "Mode and model" }).click();
    await page.locator("#model-choices[data-reported='1'] option[value=default]").waitFor({ state: "attached" });
    await phone.context.close();
  });
});
