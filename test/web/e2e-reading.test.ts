// Reading in Chromium at 390x844 against the REAL CLI (fake Messages API): highlighted code with Copy, copy on a message,
// an Edit as a numbered diff with context from the file on disk.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasChromium, WEB_ROOT, type PhonePage } from "../helpers/browser.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { tempDir } from "../helpers/tmp.js";
import { newSession, sendPrompt, shot, useLab, waitForResults } from "./lab.js";

const LONG = 120_000;
const run = hasChromium && realClaudeInstalled();
if (!hasChromium) console.warn("test/web/e2e-reading.test.ts: skipped, /usr/bin/chromium is missing");

let api: FakeAnthropicApi;
let phone: PhonePage;

// After the lab's own afterAll (hooks after run in reverse): the daemon's Claude children are gone first.
afterAll(() => api?.close());
const lab = useLab(
  async () => {
    api = await startFakeAnthropicApi();
    return {
      env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_MAX_RETRIES: "0" },
      // The daemon turns the task tools on itself (2.1.332 disables them under -p): the checklist shows with defaults.
      childEnv: realClaudeEnv(api, tempDir("cc-reading-cfg-")),
    };
  },
  { when: run, timeoutMs: LONG },
);
beforeAll(async () => {
  if (!run) return;
  phone = await lab.pairedPhone();
  await phone.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: lab.front.url });
}, LONG);

/** Back to the session list, where "+ New session" is. */
async function home(): Promise<void> {
  await phone.page.evaluate(() => void ((globalThis as any).location.hash = "#/"));
  await phone.page.locator("[data-screen=sessions]").waitFor();
}

const clipboard = () => phone.page.evaluate(() => (globalThis as any).navigator.clipboard.readText() as Promise<string>);

/** The lazy chunk that holds highlight.js (the only asset that registers languages). */
function highlighterChunk(): string {
  const dir = join(WEB_ROOT, "assets");
  const name = readdirSync(dir).find((f) => f.endsWith(".js") && readFileSync(join(dir, f), "utf8").includes("registerLanguage"));
  if (!name) throw new Error("no highlighter chunk in dist/web/assets");
  return name;
}

describe.skipIf(!run)("reading in Chromium, real CLI", () => {
  test("a fenced block names its language, is highlighted by a chunk loaded only then, and copies; any message copies from its menu", async () => {
    const { page, requests } = phone;
    const chunk = highlighterChunk();
    await newSession(page);
    expect(requests.some((u) => u.endsWith(chunk))).toBe(false);

    await sendPrompt(page, "show me CODEBLOCK please");
    await waitForResults(page, 1);
    const block = page.locator(".bubble.assistant figure.code-block");
    await page.locator(".bubble.assistant figure.code-block[data-highlighted=true]").waitFor({ timeout: 20_000 });
    expect(requests.some((u) => u.endsWith(chunk))).toBe(true);
    await expect(block.locator(".code-lang").textContent()).resolves.toBe("ts");
    await expect(block.locator(".hljs-keyword").first().textContent()).resolves.toBe("const");
    await expect(block.locator(".hljs-comment").textContent()).resolves.toBe("// the answer");
    // The prose around the block is still Markdown.
    await expect(page.locator(".bubble.assistant .md-part p").allTextContents()).resolves.toEqual(["Here is the code:", "That is all."]);

    await block.getByRole("button", { name: "Copy ts code" }).click();
    await page.getByRole("button", { name: "Copy ts code" }).filter({ hasText: "Copied" }).waitFor();
    await expect(clipboard()).resolves.toBe("const answer: number = 42; // the answer\nexport function twice(n: number) {\n  return n * 2;\n}");
    await shot(page, "code-block");

    // Copy on any message: the menu of the user's bubble and of Claude's.
    await page.locator(".bubble.user").getByRole("button", { name: "Message actions" }).click();
    await page.getByRole("button", { name: "Copy message" }).click();
    await expect(clipboard()).resolves.toBe("show me CODEBLOCK please");
    await page.keyboard.press("Escape");
    await page.locator(".bubble.assistant").getByRole("button", { name: "Message actions" }).click();
    await page.getByRole("button", { name: "Copy message" }).click();
    await expect(clipboard()).resolves.toMatch(/^Here is the code:\n\n```ts\nconst answer[\s\S]*```\n\nThat is all\.$/);
    expect(phone.errors).toEqual([]);
  }, LONG);

  test("an Edit's approval card shows a unified diff with the file's line numbers and context read from disk; the result keeps it", async () => {
    const { page } = phone;
    const file = join(lab.d.workDir, "lines.txt");
    writeFileSync(file, Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join(""));
    await home();
    await newSession(page);
    const input = { file_path: file, old_string: "line 10\n", new_string: "line ten\nline 10.5\n", replace_all: false };
    await sendPrompt(page, `TOOLUSE: Edit ${JSON.stringify(input)}`);
    const card = page.locator("[data-tool=Edit]");
    await card.and(page.locator("[data-status=waiting]")).waitFor({ timeout: 30_000 });
    const rows = () =>
      card.locator(".edit-diff .dl").evaluateAll((els: any[]) => els.map((e) => Array.from(e.children as any[]).map((c) => String(c.textContent ?? "").trim()).join("|")));
    const expected = [
      "||@@ -7,7 +7,8 @@",
      "7|7|line 7", "8|8|line 8", "9|9|line 9",
      "10||-line 10", "|10|+line ten", "|11|+line 10.5",
      "11|12|line 11", "12|13|line 12", "13|14|line 13",
    ];
    await expect.poll(rows, { timeout: 10_000 }).toEqual(expected);
    await shot(page, "edit-diff");
    await card.getByRole("button", { name: "Allow", exact: true }).click();
    await waitForResults(page, 1);
    await card.and(page.locator("[data-status=done]")).waitFor();
    expect(readFileSync(file, "utf8")).toContain("line 9\nline ten\nline 10.5\nline 11\n");
    // After the edit the file no longer holds the old text: the card's hunks are Claude Code's own, the same lines.
    await expect.poll(rows).toEqual(expected);
  }, LONG);

  test("a failed Bash shows its exit status and wraps its error; long output folds behind its line count", async () => {
    const { page } = phone;
    await home();
    await newSession(page);
    // Claude Code runs a read-only command such as `seq` without asking: Allow only when the card asks.
    const allow = async (n: number) => {
      const card = page.locator("[data-tool=Bash]").nth(n);
      await card.and(page.locator("[data-status=waiting], [data-status=done]")).waitFor({ timeout: 30_000 });
      if ((await card.getAttribute("data-status")) === "waiting") await card.getByRole("button", { name: "Allow", exact: true }).click();
      await waitForResults(page, n + 1);
      return card;
    };
    await sendPrompt(page, "BASHRUN: echo out; echo err >&2; echo 'a very long error line that must wrap on a phone rather than scroll sideways forever and ever'; exit 3");
    const failed = await allow(0);
    await expect(failed.getAttribute("data-status")).resolves.toBe("failed");
    await expect(failed.locator(".exit").textContent()).resolves.toBe("Exit status 3");
    const err = failed.locator("pre.out.err");
    await expect(err.textContent()).resolves.toMatch(/^Exit code 3\nout\nerr\n/);
    await expect(err.evaluate((e: any) => (globalThis as any).getComputedStyle(e).whiteSpace)).resolves.toBe("pre-wrap");
    await expect(err.evaluate((e: any) => e.scrollWidth <= e.clientWidth)).resolves.toBe(true);

    await sendPrompt(page, "BASHRUN: seq 1 40");
    const long = await allow(1);
    await expect(long.locator(".exit").textContent()).resolves.toBe("Exit status 0");
    const fold = long.locator("details.fold");
    await expect(fold.locator("summary").textContent()).resolves.toBe("Output · 40 lines");
    await expect(fold.evaluate((e: any) => e.open)).resolves.toBe(false);
    await fold.locator("summary").click();
    await expect(fold.locator("pre").textContent()).resolves.toMatch(/^1\n2\n[\s\S]*\n40$/);
    await shot(page, "tool-output");
  }, LONG);

  test("Claude's tasks are a checklist pinned at the top of the session, updated as each task tool runs", async () => {
    const { page } = phone;
    await home();
    await newSession(page);
    const panel = page.getByRole("group", { name: "Claude's tasks" });
    const rows = () => panel.locator("li").evaluateAll((els: any[]) => els.map((e) => `${e.getAttribute("data-status")}:${String(e.textContent).trim()}`));
    await sendPrompt(page, 'TOOLUSE: TaskCreate {"subject":"Write the fix","description":"Fix the bug","activeForm":"Writing the fix"}');
    await waitForResults(page, 1);
    await expect.poll(rows).toEqual(["pending:☐ Write the fix"]);
    await sendPrompt(page, 'TOOLUSE: TaskCreate {"subject":"Run the tests","description":"npm test"}');
    await waitForResults(page, 2);
    await sendPrompt(page, 'TOOLUSE: TaskUpdate {"taskId":"1","status":"in_progress"}');
    await waitForResults(page, 3);
    await expect.poll(rows).toEqual(["in_progress:◐ Write the fix", "pending:☐ Run the tests"]);
    await expect(panel.locator("summary").textContent()).resolves.toBe("Tasks 0/2 · Writing the fix");
    // Pinned: still in view at the top after scrolling to the bottom of the conversation.
    await page.evaluate(() => (globalThis as any).scrollTo(0, (globalThis as any).document.documentElement.scrollHeight));
    const box = await panel.boundingBox();
    expect(box && box.y >= 0 && box.y < 140).toBe(true);
    await shot(page, "todos");
  }, LONG);

  test("a subagent is one collapsible group in its Agent card, with its own tool uses inside", async () => {
    const { page } = phone;
    const file = join(lab.d.workDir, "notes.md");
    writeFileSync(file, "# notes\nhello\n");
    await home();
    await newSession(page);
    const input = { description: "Read a file", prompt: `READFILE ${file}`, subagent_type: "general-purpose", run_in_background: false };
    await sendPrompt(page, `TOOLUSE: Agent ${JSON.stringify(input)}`);
    await waitForResults(page, 1);
    const card = page.locator("[data-tool=Agent]");
    const group = card.locator("details.subagent");
    await expect.poll(() => group.locator("summary").textContent(), { timeout: 20_000 }).toBe("Subagent · 1 tool use");
    // Not a flood of cards: the subagent's Read is not a card of the transcript; it is drawn inside the group when opened.
    await expect(page.locator("[data-tool=Read]").count()).resolves.toBe(0);
    await group.locator("summary").click();
    const read = group.locator("[data-tool=Read]");
    await expect(read.getAttribute("data-status")).resolves.toBe("done");
    await expect(read.locator(".path").textContent()).resolves.toBe(file);
    await shot(page, "subagent");
  }, LONG);
});
