// The phone client lists what a session's tools left running in the background and stops one (Chromium).
import { spawn } from "node:child_process";
import { describe, expect, test, vi } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { processesWith } from "../helpers/procs.js";
import { newSession, SLOW, useLab } from "./lab.js";

const lab = useLab();

describe.skipIf(!hasChromium || process.platform !== "linux")("background processes in Chromium", SLOW, () => {
  test("the session sheet shows a background process with its command, and Stop ends it", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    // What a Bash tool's `&` job is to the daemon: a detached process carrying the session's marker.
    const job = spawn("sleep", ["1017"], { detached: true, stdio: "ignore", env: { ...process.env, CLAUDE_COMPANION_SESSION_ID: sid } });
    job.unref();
    try {
      await page.getByRole("button", { name: "Mode and model" }).click();
      const row = page.locator(`[aria-label="Background processes"] li[data-pid="${job.pid}"]`);
      await row.waitFor({ timeout: 15_000 });
      await expect(row.locator(".mono").textContent()).resolves.toBe("sleep 1017");
      await row.getByRole("button", { name: "Stop sleep 1017" }).click();
      await vi.waitFor(() => expect(processesWith("sleep 1017")).toEqual([]), { timeout: 5000, interval: 100 });
      await page.getByText("Nothing: no tool left a process running.").waitFor({ timeout: 15_000 });
      expect(phone.errors).toEqual([]);
    } finally {
      if (processesWith("sleep 1017").length > 0) job.kill("SIGKILL");
    }
    await phone.context.close();
  });
});
