// The Changes view in Chromium at 390x844 against the REAL CLI: Claude rewrites a tracked file of a git repository, the phone lists it, shows its diff with line numbers, and the file.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { hasChromium } from "../helpers/browser.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { tempDir } from "../helpers/tmp.js";
import { newSession, sendPrompt, shot, useLab, waitForResults } from "./lab.js";

const LONG = 120_000;
const run = hasChromium && realClaudeInstalled() && process.platform !== "win32";
if (!run) console.warn("test/web/e2e-changes.test.ts: skipped, needs /usr/bin/chromium and the pinned Claude Code CLI");

const APP_TS = [
  "// The demo app: greets whoever runs it.",
  "import { hostname } from \"node:os\";",
  "",
  "export function greet(name: string): string {",
  "  const where = hostname();",
  "  return `Hello ${name}, from ${where}!`;",
  "}",
  "",
  "console.log(greet(\"phone\"));",
  "",
].join("\n");

let api: FakeAnthropicApi;
let repo: string;
const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: repo, stdio: "pipe" });

// After the lab's own afterAll (hooks after run in reverse): the daemon's Claude children are gone first.
afterAll(() => api?.close());
const lab = useLab(
  async () => {
    repo = tempDir("cc-changes-repo-");
    writeFileSync(join(repo, "notes.txt"), "one\ntwo\nthree\n");
    mkdirSync(join(repo, "src"));
    writeFileSync(join(repo, "src", "app.ts"), APP_TS);
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-qm", "first");
    api = await startFakeAnthropicApi();
    // The session's directory (the daemon's default) is the repository.
    return { workDir: repo, env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_MAX_RETRIES: "0" }, childEnv: realClaudeEnv(api, tempDir("cc-changes-cfg-")) };
  },
  { when: run, timeoutMs: LONG },
);

describe.skipIf(!run)("Changes view in Chromium", () => {
  test("Claude (the real CLI) rewrites notes.txt; Changes lists it as modified; its diff has the removed and added lines numbered; View file shows the new content", async () => {
    const phone = await lab.pairedPhone();
    const { page } = phone;
    await newSession(page);
    const notes = join(repo, "notes.txt");
    await sendPrompt(page, `please WRITEFILE ${notes}`);
    await page.getByRole("button", { name: "Allow", exact: true }).click({ timeout: LONG });
    await waitForResults(page, 1);
    expect(readFileSync(notes, "utf8")).toBe("hi\n");

    await page.getByRole("link", { name: "Changes" }).click();
    const list = page.locator("[data-screen=changes][data-source=git]");
    await list.waitFor();
    await expect(page.locator(".change-row").allTextContents()).resolves.toEqual(["Mnotes.txtmodified"]);
    await expect(page.locator(".changes-head p").textContent()).resolves.toBe(`git status of ${repo} on main`);
    await shot(page, "changes");

    await page.locator(".change-row", { hasText: "notes.txt" }).click();
    await page.locator("[data-screen=diff][data-loaded=true]").waitFor();
    const rows = await page.$$eval(".diff tr[data-kind]", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
    expect(rows).toEqual([
      ["1", "", "-one"],
      ["2", "", "-two"],
      ["3", "", "-three"],
      ["", "1", "+hi"],
    ]);
    await expect(page.locator(".diff-screen .changes-head p").textContent()).resolves.toBe("modified · against the last commit · +1 −3");
    await shot(page, "diff");

    await page.getByRole("button", { name: "View file" }).click();
    await page.locator("[data-screen=file][data-loaded=true]").waitFor();
    await expect(page.locator(".file-lines .text").textContent()).resolves.toBe("hi\n");
    await expect(page.locator(".file-lines .gutter").textContent()).resolves.toBe("1\n");

    // Any file inside the roots opens read-only, highlighted by its language; one outside is refused with the daemon's reason.
    await page.getByRole("button", { name: "Back to changes" }).click();
    await page.locator("[data-screen=changes]").waitFor();
    await page.getByLabel("Open a file").fill(join(repo, "src", "app.ts"));
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.locator("[data-screen=file] pre.text[data-highlighted=true]").waitFor();
    await expect(page.locator(".file-lines .text").textContent()).resolves.toBe(APP_TS);
    await expect(page.locator(".file-lines .gutter").textContent()).resolves.toBe(Array.from({ length: 9 }, (_, i) => `${i + 1}\n`).join(""));
    await expect(page.locator(".file-lines .hljs-keyword").first().textContent()).resolves.toBe("import");
    await shot(page, "file-viewer");
    await page.getByRole("button", { name: "Back to changes" }).click();
    await page.getByLabel("Open a file").fill("/etc/passwd");
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await expect(page.getByRole("alert").textContent({ timeout: 10_000 })).resolves.toBe("The path '/etc/passwd' is not allowed: it is outside the allowed roots.");
    expect(await page.locator(".file-lines").count()).toBe(0);
    // Back goes up one level each time: the changes, then the conversation.
    await page.getByRole("button", { name: "Back to changes" }).click();
    await page.locator("[data-screen=changes]").waitFor();
    await page.getByRole("button", { name: "Back to the conversation" }).click();
    await page.locator("[data-screen=conversation]").waitFor();
    // A diff the daemon refuses says why in the diff screen's head, and no "Loading…" stays beside it.
    const sid = (await page.locator("[data-screen=conversation]").getAttribute("data-session-id"))!;
    await page.evaluate((hash) => void ((globalThis as any).location.hash = hash), `#/s/${sid}/diff/${encodeURIComponent("/etc/passwd")}`);
    await expect(page.locator("[data-screen=diff] [role=alert]").textContent({ timeout: 10_000 })).resolves.toMatch(/^'\/etc\/passwd' is not a changed file of session /);
    await expect(page.locator("[data-screen=diff] .changes-head p").textContent()).resolves.toBe("");
    expect(await page.locator("[data-screen=diff][data-loaded=false]").count()).toBe(1);
    // The browser logs the refused requests itself (403 the file, 404 the diff); nothing else went wrong.
    expect(phone.errors.filter((e) => !/status of 40[34] /.test(e))).toEqual([]);
    await phone.context.close();
  }, LONG * 2);
});
