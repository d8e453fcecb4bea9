// The composer in Chromium at 390x844 against the REAL CLI (offline, fake Messages API): pictures (attach, paste, preview,
// remove, limits, send: the API gets the image block), `/` commands (the project's own, from Claude Code), `@` files, drafts.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { tempDir } from "../helpers/tmp.js";
import { newSession, shot, SLOW, useLab, waitForResults } from "./lab.js";

declare const document: any;
declare const DataTransfer: any;
declare const File: any;

/** A PNG of one colour, `w` x `h` (RGB, no filter), written here so no binary lives in the repository. */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set([200, 80, 20], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

const run = hasChromium && realClaudeInstalled();
let api: FakeAnthropicApi;
// After the lab's own afterAll (hooks after run in reverse): the daemon's Claude children are gone first.
afterAll(() => api?.close());
const lab = useLab(
  async () => {
    api = await startFakeAnthropicApi();
    return { env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_MAX_RETRIES: "0" }, childEnv: realClaudeEnv(api, tempDir("cc-composer-cfg-")) };
  },
  { when: run },
);
beforeAll(() => {
  if (!run) return;
  mkdirSync(join(lab.d.workDir, ".claude", "commands"), { recursive: true });
  writeFileSync(join(lab.d.workDir, ".claude", "commands", "x.md"), '---\ndescription: Say x things\nargument-hint: "<what>"\n---\nSay x about $ARGUMENTS\n');
  mkdirSync(join(lab.d.workDir, "src"), { recursive: true });
  writeFileSync(join(lab.d.workDir, "src", "reader.ts"), "export {};\n");
  mkdirSync(join(lab.d.workDir, "node_modules", "dep"), { recursive: true });
  writeFileSync(join(lab.d.workDir, "node_modules", "dep", "reader.js"), "");
});

describe.skipIf(!run)("the composer in Chromium", SLOW, () => {
  test("pictures: a big photo is shrunk to 1568 px, a pasted one is added, one is removed, the limit is said, a reload keeps them, the prompt carries the rest", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const sid = await newSession(page);
    const previews = page.getByRole("list", { name: "Attached pictures" }).locator("li");

    await page.locator("input[data-attach=gallery]").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png(3000, 2000) });
    await previews.first().waitFor();
    await expect(previews.first().getAttribute("data-size")).resolves.toBe("1568x1045");
    await expect(previews.first().getAttribute("data-media-type")).resolves.toBe("image/webp");
    await expect(previews.first().locator("img").evaluate((img: any) => img.complete && img.naturalWidth)).resolves.toBe(1568);

    // A screenshot pasted from the clipboard: small, so it is sent as it is.
    const small = png(40, 30).toString("base64");
    await page.getByRole("textbox", { name: "Prompt" }).evaluate((box: any, b64: string) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], "screenshot.png", { type: "image/png" }));
      box.dispatchEvent(new (globalThis as any).ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    }, small);
    await vi.waitFor(async () => expect(await previews.count()).toBe(2), { timeout: 10_000, interval: 100 });
    await expect(previews.nth(1).getAttribute("data-media-type")).resolves.toBe("image/png");
    await shot(page, "composer-pictures");

    await page.getByRole("button", { name: "Remove photo.png" }).click();
    await vi.waitFor(async () => expect(await previews.count()).toBe(1), { timeout: 5000, interval: 100 });

    // Twenty more would pass the protocol's 20 per prompt: the first 19 fit, the rest are named.
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `p${i}.png`, mimeType: "image/png", buffer: png(8, 8) }));
    await page.locator("input[data-attach=gallery]").setInputFiles(many);
    await page.getByRole("alert").filter({ hasText: "p19.png: a prompt takes at most 20 pictures" }).waitFor();
    expect(await previews.count()).toBe(20);
    for (let i = 0; i < 19; i++) await page.getByRole("button", { name: `Remove p${i}.png` }).click();
    expect(await previews.count()).toBe(1);

    // The draft's pictures survive a reload (IndexedDB) like its text (localStorage).
    await page.getByRole("textbox", { name: "Prompt" }).fill("what is in this screenshot");
    await page.reload();
    await page.locator("[data-screen=conversation][data-session-id]").waitFor();
    await page.getByRole("button", { name: "Remove screenshot.png" }).waitFor();
    expect(await previews.count()).toBe(1);
    await expect(page.getByRole("textbox", { name: "Prompt" }).inputValue()).resolves.toBe("what is in this screenshot");
    await page.locator("[data-conn=connected]").waitFor();

    await page.getByRole("button", { name: "Send", exact: true }).click();
    await waitForResults(page, 1);
    await expect(previews.count()).resolves.toBe(0);
    // Sent: the draft is gone, after a reload too.
    await page.reload();
    await page.locator("[data-screen=conversation][data-session-id]").waitFor();
    await page.locator(".bubble.user", { hasText: "what is in this screenshot" }).waitFor();
    await expect(previews.count()).resolves.toBe(0);
    await expect(page.getByRole("textbox", { name: "Prompt" }).inputValue()).resolves.toBe("");
    await page.locator(".bubble.user", { hasText: "what is in this screenshot" }).getByText("1 image").waitFor();
    const events = await lab.restEvents(sid);
    expect(events.find((e) => e.type === "userMessage")?.data).toMatchObject({ text: "what is in this screenshot", images: 1 });
    // The real CLI passed the picture on: the Messages API got it as an image block, bytes unchanged.
    const images = api
      .messageRequests()
      .flatMap((b) => b.messages ?? [])
      .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
      .filter((b) => b.type === "image");
    expect(images.map((b) => b.source)).toEqual([{ type: "base64", media_type: "image/png", data: small }]);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("`/` offers the session's commands with their descriptions, filtered as you type; `@` offers its files; a draft survives reload and offline", async () => {
    const phone = await lab.pairedPhone();
    const { page, context } = phone;
    await newSession(page);
    const box = page.getByRole("textbox", { name: "Prompt" });

    await box.pressSequentially("/");
    const commands = page.getByRole("listbox", { name: "Commands" });
    // What Claude Code answered to initialize: its built-ins and the project's own command, with descriptions.
    await commands.getByRole("option", { name: "/x <what> Say x things (project)" }).waitFor({ timeout: 30_000 });
    await commands.getByRole("option", { name: /^\/compact .*Free up context/ }).waitFor();
    const all = await commands.getByRole("option").count();
    await shot(page, "composer-commands");
    await box.pressSequentially("x");
    await vi.waitFor(async () => expect(await commands.getByRole("option").count()).toBeLessThan(all), { timeout: 5000, interval: 100 });
    await expect(commands.getByRole("option").first().textContent()).resolves.toBe("/x <what>Say x things (project)");
    await box.press("Enter");
    await expect(box.inputValue()).resolves.toBe("/x ");
    // A built-in that does nothing from the phone (2.1.332 under -p) is not offered; typing it says why.
    await box.fill("");
    await box.pressSequentially("/colo");
    await page.locator("[data-suggest=command] .note", { hasText: "/color is left out: It sets the colour of the terminal's prompt bar" }).waitFor({ timeout: 5000 });
    expect(await commands.getByRole("option", { name: /^\/color/ }).count()).toBe(0);

    await box.fill("");
    await box.pressSequentially("look at @rea");
    const files = page.getByRole("listbox", { name: "Files" });
    await files.getByRole("option", { name: "src/reader.ts" }).waitFor();
    await shot(page, "composer-files");
    await files.getByRole("option", { name: "src/reader.ts" }).click();
    await expect(box.inputValue()).resolves.toBe("look at @src/reader.ts ");
    expect(await files.count()).toBe(0);

    await page.reload();
    await page.locator("[data-screen=conversation][data-session-id]").waitFor();
    await expect(page.getByRole("textbox", { name: "Prompt" }).inputValue()).resolves.toBe("look at @src/reader.ts ");

    await context.setOffline(true);
    await page.locator("[data-conn=connected]").waitFor({ state: "detached", timeout: 30_000 });
    const offlineBox = page.getByRole("textbox", { name: "Prompt" });
    await offlineBox.pressSequentially("and the tests");
    await expect(page.getByRole("button", { name: "Send", exact: true }).isDisabled()).resolves.toBe(true);
    await page.reload().catch(() => undefined);
    await context.setOffline(false);
    await page.reload();
    await page.locator("[data-conn=connected]").waitFor({ timeout: 30_000 });
    await expect(page.getByRole("textbox", { name: "Prompt" }).inputValue()).resolves.toBe("look at @src/reader.ts and the tests");
    await phone.context.close();
  });

  test("a picture shared into the installed app (Web Share Target) waits, is announced, and is attached in the next session opened", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    const manifest = (await (await fetch(`${lab.front.url}/manifest.webmanifest`)).json()) as { share_target: { action: string; params: { files: { name: string }[] } } };
    expect(manifest.share_target).toMatchObject({ action: "/share-target", method: "POST", enctype: "multipart/form-data" });
    await page.evaluate(async () => {
      const { navigator } = globalThis as any;
      await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.locator("[data-conn=connected]").waitFor();
    // What the share sheet does: a multipart POST to the manifest's action, taken by the service worker.
    const status = await page.evaluate(
      async ({ b64, field }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const form = new (globalThis as any).FormData();
        form.append(field, new File([bytes], "shared.png", { type: "image/png" }));
        form.append("text", "from the gallery");
        const res = await fetch("/share-target", { method: "POST", body: form });
        return { status: res.status, controlled: Boolean((globalThis as any).navigator.serviceWorker.controller) };
      },
      { b64: png(50, 40).toString("base64"), field: manifest.share_target.params.files[0]!.name },
    );
    expect(status).toEqual({ status: 200, controlled: true });
    await page.reload();
    await page.getByText("1 shared picture: open a session to attach it to your next prompt.").waitFor();
    await newSession(page);
    const previews = page.getByRole("list", { name: "Attached pictures" }).locator("li");
    await previews.first().waitFor();
    await expect(page.getByRole("textbox", { name: "Prompt" }).inputValue()).resolves.toBe("from the gallery");
    expect(await previews.count()).toBe(1);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});
