// The quality bar of the whole phone client in Chromium: at 360 and 430 px, dark and light, every main screen fits the width,
// takes the theme's colours, and every button, field and row link is at least 44x44 px.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test, vi } from "vitest";
import type { Page } from "playwright-core";
import { hasChromium, openPhone } from "../helpers/browser.js";
import { shot, useLab } from "./lab.js";

if (!hasChromium) console.warn("test/web/e2e-quality.test.ts: skipped, /usr/bin/chromium is missing");

const lab = useLab();
let waiting: string;
let wrote: string;
let long: string;
beforeAll(async () => {
  if (!hasChromium) return;
  long = join(lab.d.workDir, "long-line.ts");
  writeFileSync(long, `export const x = "${"a very long line ".repeat(40)}";\n`);
  // One session waiting for an approval (the fake CLI's Write asks: the lab allows only Read), one that wrote a file.
  waiting = (await lab.api<{ sessionId: string }>("/api/stream/start", { method: "POST", body: JSON.stringify({ prompt: "permission waiting.txt" }) })).sessionId;
  wrote = (await lab.api<{ sessionId: string }>("/api/stream/start", { method: "POST", body: JSON.stringify({ prompt: "permission notes.md" }) })).sessionId;
  for (const id of [waiting, wrote]) {
    await vi.waitFor(async () => expect((await lab.restEvents(id)).some((e) => e.type === "permissionRequest")).toBe(true), { timeout: 30_000, interval: 200 });
  }
  const request = (await lab.restEvents(wrote)).find((e) => e.type === "permissionRequest")!;
  await lab.api(`/api/permission/${(request.data as { permissionId: string }).permissionId}`, { method: "POST", body: JSON.stringify({ decision: "allow" }) });
  await vi.waitFor(async () => expect((await lab.restEvents(wrote)).some((e) => e.type === "streamComplete")).toBe(true), { timeout: 30_000, interval: 200 });
}, 90_000);

/** The theme's background and text colours (styles.css `--bg` and `--text`). */
const THEME = {
  dark: { bg: "rgb(20, 20, 19)", text: "rgb(236, 235, 230)" },
  light: { bg: "rgb(246, 246, 243)", text: "rgb(28, 27, 25)" },
} as const;

/** The narrowest a screen's title may get (about ten characters). */
const MIN_TITLE_PX = 80;

/** What a thumb taps: buttons, fields, and links styled as buttons or rows. */
const TARGETS = "button, input:not([type=hidden]), select, textarea, summary, a.text-btn, a.icon-btn, a.session-row, a.change-row, a.tab";

type Audit = { overflow: number; bg: string; text: string; small: string[]; contrast: number; checked: number; title: number };

function audit(page: Page): Promise<Audit> {
  return page.evaluate((targets) => {
    const g = globalThis as any;
    const doc = g.document;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, gg, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * gg! + 0.0722 * b!;
    };
    const ratio = (a: string, b: string) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    };
    const body = g.getComputedStyle(doc.body);
    const small: string[] = [];
    let checked = 0;
    for (const el of doc.querySelectorAll(targets)) {
      const r = el.getBoundingClientRect();
      const style = g.getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === "hidden") continue;
      checked++;
      if (r.width < 44 - 0.5 || r.height < 44 - 0.5) small.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    // The muted text (hints, states) must stay readable on the page's background too.
    const muted = doc.querySelector(".muted");
    const contrast = Math.min(ratio(body.color, body.backgroundColor), muted ? ratio(g.getComputedStyle(muted).color, body.backgroundColor) : 21);
    const title = doc.querySelector(".bar-title h1")?.getBoundingClientRect().width ?? 0;
    return { overflow: doc.documentElement.scrollWidth - g.innerWidth, bg: body.backgroundColor, text: body.color, small, contrast, checked, title: Math.round(title) };
  }, TARGETS);
}

describe.skipIf(!hasChromium)("quality bar in Chromium", () => {
  test.each([
    [360, "dark"],
    [360, "light"],
    [430, "dark"],
    [430, "light"],
  ] as const)("at %i px in %s: every main screen fits, takes the theme, and its targets are >= 44 px", async (width, scheme) => {
    const seen: Record<string, Audit> = {};
    const check = async (page: Page, screen: string) => {
      await page.locator(`[data-screen=${screen}]`).first().waitFor();
      seen[screen] = await audit(page);
    };

    const stranger = await openPhone(lab.browser, { colorScheme: scheme });
    await stranger.page.setViewportSize({ width, height: 844 });
    await stranger.page.goto(lab.front.url);
    await check(stranger.page, "pair");
    await stranger.context.close();

    const phone = await lab.pairedPhone(scheme);
    const { page } = phone;
    await page.setViewportSize({ width, height: 844 });
    const go = (hash: string) => page.evaluate((h) => void ((globalThis as any).location.hash = h), hash);
    await check(page, "sessions");
    await page.getByRole("button", { name: "+ New session" }).click();
    await check(page, "new-session");
    await go(`#/s/${waiting}`);
    await page.locator("article.perm").first().waitFor();
    await check(page, "conversation");
    // The session's header carries the most (back, title, mode chip, Changes, Close, connection): its title must keep room to be read.
    expect(seen.conversation!.title, "the conversation's title width").toBeGreaterThanOrEqual(MIN_TITLE_PX);
    await page.getByRole("button", { name: "Mode and model" }).click();
    await page.locator("[data-sheet=session]").waitFor();
    seen["session-sheet"] = await audit(page);
    await go("#/history");
    await check(page, "history");
    await go(`#/s/${wrote}/changes`);
    await page.locator(".change-row").first().waitFor();
    await check(page, "changes");
    await page.locator(".change-row").first().click();
    await page.locator("[data-screen=diff][data-loaded=true]").waitFor();
    await check(page, "diff");
    if (width === 360 && scheme === "light") await shot(page, "diff-light");
    await page.getByRole("button", { name: "View file" }).click();
    await page.locator("[data-screen=file][data-loaded=true]").waitFor();
    await check(page, "file");
    // A long line scrolls inside its box; the page itself never gets wider than the phone.
    await go(`#/s/${wrote}/file/${encodeURIComponent(long)}`);
    await page.locator(`[data-screen=file][data-loaded=true][data-path="${long}"]`).waitFor();
    seen["file-long-line"] = await audit(page);

    expect(Object.keys(seen)).toHaveLength(10);
    // All screens at once, so one run names every failure.
    const found = Object.entries(seen).map(([screen, a]) => ({ screen, overflow: Math.max(0, a.overflow), bg: a.bg, text: a.text, small: a.small, readable: a.contrast >= 4.5, checked: screen === "pair" || a.checked > 0 }));
    expect(found).toEqual(Object.keys(seen).map((screen) => ({ screen, overflow: 0, ...THEME[scheme], small: [], readable: true, checked: true })));
    // Not errors of the page: Chromium's intervention notice when it vibrates for a waiting approval before any tap, and
    // the browser's own line for the 403 the approval card's diff gets when it reads a file that does not exist yet.
    expect(phone.errors.filter((e) => !e.includes("navigator.vibrate") && !e.includes("status of 403"))).toEqual([]);
    await phone.context.close();
  }, 120_000);
});
