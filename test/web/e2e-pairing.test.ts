// The phone client in Chromium: the pairing screen under the CSP, #pair= links, links that must not log it out, failures, revoke, unpair, another phone answering.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { hasChromium, openPhone } from "../helpers/browser.js";
import { newSession, sendPrompt, shot, SLOW, useLab, waitForResults } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-pairing.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

const lab = useLab();

describe.skipIf(!hasChromium)("pairing in Chromium", SLOW, () => {
  const issue = () => lab.api<{ pairingToken: string; url: string }>("/api/pairing-codes", { method: "POST", body: "{}" });

  test("without a token the page explains how to pair, under a CSP that allows no inline script", async () => {
    const phone = await openPhone(lab.browser, { colorScheme: "dark" });
    const res = await phone.page.goto(lab.front.url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
    await phone.page.locator("[data-screen=pair]").waitFor();
    await expect(phone.page.getByText("claude-companion pair").first().isVisible()).resolves.toBe(true);
    // The manifest and its icons are served and installable-looking.
    const manifest = (await phone.page.evaluate(async () => (await fetch("/manifest.webmanifest")).json())) as {
      icons: { sizes: string; src: string }[];
    };
    expect(manifest).toMatchObject({ start_url: "/", display: "standalone" });
    const sizes = manifest.icons.map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of manifest.icons) {
      expect(await phone.page.evaluate(async (src) => (await fetch(src)).status, icon.src)).toBe(200);
    }
    await shot(phone.page, "pairing");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("a link from any site cannot log the phone out: #token=junk and a junk #pair= leave its pairing working", async () => {
    const phone = await lab.pairedPhone();
    const stored = await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`);
    expect(stored).toMatch(/^\S{20,}$/);
    // The old `#token=` form is not a pairing any more: ignored, and removed from the address bar.
    await phone.page.goto(`${lab.front.url}/#token=junkjunkjunkjunkjunk`);
    await phone.page.locator("[data-screen=sessions]").waitFor();
    await phone.page.locator("[data-conn=connected]").waitFor();
    expect(await phone.page.evaluate("location.hash")).toBe("");
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBe(stored);
    // A pairing link with a code the daemon never issued: it fails, and nothing is stored.
    await phone.page.goto(`${lab.front.url}/#pair=BBBBBBBBBBBBBBBBBBBBBB`);
    await phone.page.locator("[data-screen=pairing-failed]").waitFor();
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBe(stored);
    // Opened again from the home screen: start_url "/" with the token in localStorage.
    await phone.page.goto(lab.front.url);
    await phone.page.locator("[data-screen=sessions]").waitFor();
    await phone.page.locator("[data-conn=connected]").waitFor();
    await phone.context.close();
  });

  test("Unpair this phone revokes it on the computer: it leaves the device list and its token stops working", async () => {
    const phone = await lab.pairedPhone();
    const token = (await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)) as string;
    const deviceId = (await phone.page.evaluate(`localStorage.getItem("claude-companion.deviceId")`)) as string;
    const listed = async () => (await lab.api<{ devices: { id: string }[] }>("/api/devices")).devices.map((x) => x.id);
    expect(await listed()).toContain(deviceId);
    await phone.page.evaluate("window.confirm = () => true");
    await phone.page.getByRole("button", { name: "Unpair this phone" }).click();
    await phone.page.locator("[data-screen=pair]", { hasText: "Pair this phone" }).waitFor();
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBeNull();
    expect(await listed()).not.toContain(deviceId);
    expect((await fetch(`${lab.d.url}/api/info`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("the QR link (#pair=) pairs this phone as a device, clears the fragment and keeps working after a reload", async () => {
    const { pairingToken, url } = await issue();
    expect(url).toContain(`#pair=${pairingToken}`);
    const phone = await openPhone(lab.browser);
    await phone.page.goto(`${lab.front.url}/#pair=${pairingToken}`);
    await phone.page.locator("[data-screen=sessions]").waitFor();
    await phone.page.locator("[data-conn=connected]").waitFor();
    expect(await phone.page.evaluate("location.hash")).toBe("");
    const stored = (await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)) as string;
    expect(stored).toMatch(/^\S{20,}$/);
    expect(stored).not.toBe(lab.d.token);
    const devices = await lab.api<{ devices: { id: string; name: string }[] }>("/api/devices");
    const deviceId = (await phone.page.evaluate(`localStorage.getItem("claude-companion.deviceId")`)) as string;
    expect(devices.devices).toEqual(expect.arrayContaining([expect.objectContaining({ id: deviceId, name: "Android Chrome" })]));
    await phone.page.reload();
    await phone.page.locator("[data-conn=connected]").waitFor();

    // The same code again, from another phone: used.
    const other = await openPhone(lab.browser);
    await other.page.goto(`${lab.front.url}/#pair=${pairingToken}`);
    const failed = other.page.locator("[data-screen=pairing-failed]");
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toMatch(/already used[\s\S]*claude-companion pair/);
    expect(await other.page.evaluate("location.hash")).toBe("");
    await shot(other.page, "pairing-used");
    await other.context.close();

    // The used code scanned again by the paired phone: it says so and offers the earlier pairing.
    await phone.page.goto(`${lab.front.url}/#pair=${pairingToken}`);
    await phone.page.locator("[data-screen=pairing-failed]").waitFor();
    await phone.page.getByRole("button", { name: /earlier pairing/ }).click();
    await phone.page.locator("[data-screen=sessions]").waitFor();
    await phone.page.locator("[data-conn=connected]").waitFor();
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBe(stored);

    // Revoking the device closes its socket (4401): the page says it is no longer paired.
    await lab.api(`/api/devices/${deviceId}`, { method: "DELETE" });
    await phone.page.locator("[data-screen=pair]", { hasText: "no longer paired" }).waitFor({ timeout: 5000 });
    expect(await phone.page.evaluate(`localStorage.getItem("claude-companion.token")`)).toBeNull();
    await phone.context.close();
  });

  test("a permission answered on another phone: the card says by whom", async () => {
    const { pairingToken } = await issue();
    const tablet = await openPhone(lab.browser, { colorScheme: "light" });
    await tablet.page.goto(`${lab.front.url}/#pair=${pairingToken}`);
    await tablet.page.locator("[data-conn=connected]").waitFor();
    const phone = await lab.pairedPhone();
    const sid = await newSession(phone.page);
    await tablet.page.goto(`${lab.front.url}/#/s/${sid}`);
    await tablet.page.locator(`[data-screen=conversation][data-session-id="${sid}"]`).waitFor();
    await sendPrompt(phone.page, "permission raced.txt");
    const onTablet = tablet.page.locator("article.perm").first();
    const onPhone = phone.page.locator("article.perm").first();
    await onTablet.waitFor();
    await onPhone.waitFor();
    await onTablet.getByRole("button", { name: "Deny" }).click();
    await onPhone.locator(".verdict").waitFor();
    await expect(onPhone.locator(".verdict").textContent()).resolves.toBe("Denied by Android Chrome");
    await expect(onPhone.getByRole("button", { name: "Allow", exact: true }).count()).resolves.toBe(0);
    await waitForResults(phone.page, 1);
    expect(existsSync(join(lab.d.workDir, "raced.txt"))).toBe(false);
    await tablet.context.close();
    await phone.context.close();
  });

  test.each([
    ["PAIRING_TOKEN_UNKNOWN", "not known"],
    ["PAIRING_TOKEN_EXPIRED", "expired"],
  ])("%s shows a clear message and how to get a new code", async (code, words) => {
    const phone = await openPhone(lab.browser);
    if (code === "PAIRING_TOKEN_EXPIRED") {
      // Expiry takes 10 minutes on a real daemon: answer as it would.
      await phone.page.route("**/api/pair", (route) =>
        route.fulfill({ status: 401, contentType: "application/json", body: JSON.stringify({ type: "error", data: { code, message: "This pairing code has expired. Run `claude-companion pair` on the computer for a new QR code.", details: {} } }) }),
      );
    }
    await phone.page.goto(`${lab.front.url}/#pair=AAAAAAAAAAAAAAAAAAAAAA`);
    const failed = phone.page.locator("[data-screen=pairing-failed]");
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toMatch(new RegExp(`${words}[\\s\\S]*claude-companion pair`));
    await phone.context.close();
  });
});
