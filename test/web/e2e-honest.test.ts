// Issue 17 in Chromium at 390x844 against a scripted daemon: plans, grants, costs, errors, answers, waiting, denials, queue order, titles, controls, tap targets.
import { describe, expect, test, vi } from "vitest";
import { hasChromium, openPhone } from "../helpers/browser.js";
import { shot, shownItems, SLOW, useStubbedBrowser } from "./lab.js";
import { sessionInfo, stubDaemon } from "./stub-daemon.js";

if (!hasChromium) console.warn("test/web/e2e-honest.test.ts: skipped, /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)");

// One browser and one front server for the file; each test gets a fresh phone (browser context).
const stubbed = useStubbedBrowser();

const SID = "22222222-2222-4222-8222-222222222222";
const user = (promptId: string, text: string) => ({ type: "userMessage", data: { promptId, text, images: 0 } });
const active = { type: "sessionUpdate", data: { state: "active", reason: "turn-started", queueLength: 0 } };
const idle = { type: "sessionUpdate", data: { state: "idle", reason: "turn-complete", queueLength: 0 } };
const toolUse = (toolUseId: string, name: string, input: unknown) => ({ type: "streamToolUse", data: { phase: "use", toolUseId, name, input } });
const request = (permissionId: string, toolUseId: string, patch: Record<string, unknown>) => ({
  type: "permissionRequest",
  data: { permissionId, kind: "tool", toolName: "Write", toolUseId, input: {}, suggestions: [], expiresAt: Date.now() + 600_000, ...patch },
});
const resolved = (permissionId: string, decision: string, message?: string) => ({
  type: "permissionResolved",
  data: { permissionId, decision, by: "client", client: "Android Chrome", ...(message ? { message } : {}) },
});
const done = (promptId: string, patch: Record<string, unknown> = {}) => ({
  type: "streamComplete",
  data: { result: "ok", isError: false, subtype: "success", promptIds: [promptId], durationMs: 1500, ...patch },
});

async function phoneOn(sessions: Parameters<typeof stubDaemon>[2], width = 390) {
  const phone = await openPhone(stubbed.browser);
  if (width !== 390) await phone.page.setViewportSize({ width, height: 780 });
  const stub = await stubDaemon(phone.page, stubbed.front.url, sessions);
  await phone.page.locator("[data-conn=connected]").waitFor();
  return { ...phone, stub };
}

describe.skipIf(!hasChromium)("issue 17: the phone client, honest and in control", SLOW, () => {
  test("a plan approval shows the plan as Markdown in the one card of its tool use, waiting for you everywhere, and keeps it once answered", async () => {
    const plan = "# Migrate the store\n\n1. Split the reducer\n2. Add **table tests**";
    const { page, stub, context } = await phoneOn([
      {
        info: sessionInfo(SID, { state: "active", title: "Plan the store split", pendingPermissions: [{ permissionId: "p1" }] }),
        events: [user("u1", "Plan the store split"), active, toolUse("t1", "ExitPlanMode", { plan }), request("p1", "t1", { kind: "plan", toolName: "ExitPlanMode" })],
      },
    ]);
    // The list says the session waits for you, not that it works.
    const row = page.locator(`[data-session-id="${SID}"]`);
    await expect(row.locator(".state").textContent()).resolves.toBe("waiting for you");
    await row.click();
    const card = page.locator("article[data-tool=ExitPlanMode]");
    await card.locator("h1", { hasText: "Migrate the store" }).waitFor();
    await expect(card.locator("strong", { hasText: "table tests" }).count()).resolves.toBe(1);
    expect(await page.locator(".conversation [data-kind]").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")))).toEqual(["user", "tool"]);
    await expect(card.locator(".tool-status").textContent()).resolves.toBe("waiting for you");
    await expect(page.locator(".bar-state").textContent()).resolves.toBe("waiting for you");
    await expect(page.locator("[data-waiting=true]").textContent()).resolves.toMatch(/Waiting for you/);
    expect(await page.getByText("Claude is working").count()).toBe(0);
    await shot(page, "plan");
    await card.getByRole("button", { name: "Approve plan" }).click();
    expect((await stub.waitForSent("permission")).data).toMatchObject({ permissionId: "p1", decision: "allow" });
    stub.live(SID, [resolved("p1", "allow")]);
    await card.locator(".verdict", { hasText: "Allowed by Android Chrome" }).waitFor();
    await expect(card.locator("h1").textContent()).resolves.toBe("Migrate the store");
    expect(await page.locator("[data-waiting=true]").count()).toBe(0);
    await context.close();
  });

  test("Always allow says what it grants; the grant shows in the header chip and can be revoked there; mode and model switch live", async () => {
    const { page, stub, context } = await phoneOn([
      {
        info: sessionInfo(SID, { state: "active", title: "Write the notes" }),
        events: [
          user("u1", "Write the notes"),
          active,
          toolUse("t1", "Write", { file_path: "/home/me/app/notes.md", content: "hi\n" }),
          request("p1", "t1", { description: "notes.md", suggestions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }] }),
        ],
      },
    ]);
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    const card = page.locator("article[data-tool=Write]");
    await expect(card.locator(".grants").textContent()).resolves.toBe("Always allow will accept every file edit in this session.");
    // The file name is said once, not twice (tool input and request description).
    expect(await card.getByText("notes.md").count()).toBe(1);
    await card.getByRole("button", { name: "Always allow" }).click();
    expect((await stub.waitForSent("permission")).data).toMatchObject({ decision: "allowAlways" });
    // As the daemon does: the grant it recorded comes in the sessionUpdate (SessionInfo.grants).
    const grant = { id: "33333333-3333-4333-8333-333333333333", kind: "mode", mode: "acceptEdits", previousMode: "default", grantedAt: Date.now(), permissionId: "p1" };
    stub.live(SID, [resolved("p1", "allowAlways"), { type: "sessionUpdate", data: { state: "active", reason: "grants-changed", queueLength: 0, permissionMode: "acceptEdits", grants: [grant] } }]);
    const chip = page.getByRole("button", { name: "Mode and model" });
    await page.locator(".mode-chip[data-mode=acceptEdits]").waitFor();
    await expect(chip.textContent()).resolves.toBe("accepts edits");
    await chip.click();
    const sheet = page.locator("[data-sheet=session]");
    await expect(sheet.locator(".grants-list li span").textContent()).resolves.toBe("accept every file edit in this session");
    await shot(page, "session-settings");
    await sheet.getByRole("button", { name: "Ask before tools again (mode: default)" }).click();
    expect((await stub.waitForSent("setPermissionMode")).data).toEqual({ mode: "default" });
    stub.live(SID, [{ type: "sessionUpdate", data: { state: "active", reason: "permission-mode-changed", queueLength: 0, permissionMode: "default" } }]);
    await page.locator(".mode-chip[data-mode=default]").waitFor();
    await sheet.getByLabel("Permission mode").selectOption("plan");
    await vitestWait(() => stub.sent.some((f) => f.type === "setPermissionMode" && (f.data as { mode: string }).mode === "plan"));
    await sheet.getByLabel("Model").fill("opus");
    await sheet.getByRole("button", { name: "Use model" }).click();
    expect((await stub.waitForSent("setModel")).data).toEqual({ model: "opus" });
    stub.live(SID, [{ type: "sessionUpdate", data: { state: "active", reason: "model-changed", queueLength: 0, model: "opus" } }]);
    await page.locator(".mode-chip", { hasText: "opus" }).waitFor();
    await context.close();
  });

  test("per-turn cost under each turn and the total in the header, a context meter; one error block per failure; a crash shows its reason, twice says it cannot start", async () => {
    const apiText = "API Error: 500 Internal server error (fake). This is a server-side issue, usually temporary — try again in a moment.";
    const stderr = "Error: --dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons";
    const crash = { type: "sessionError", data: { code: "CLAUDE_EXITED", message: "Claude Code exited unexpectedly (code 1, signal unknown). Send a prompt to resume the conversation.", details: { exitCode: 1, stderrTail: stderr, beforeInit: true } } };
    // After the second failure the same way, the daemon says the session cannot start (SessionInfo/sessionUpdate cannotStart).
    const cannotStart = { reason: stderr, exitCode: 1, signal: null, stderrTail: stderr, attempts: 2, since: Date.now(), lastAttemptAt: Date.now() };
    const idleCannot = { type: "sessionUpdate", data: { state: "idle", reason: "claude-exited", queueLength: 0, cannotStart } };
    const { page, context } = await phoneOn([
      {
        info: sessionInfo(SID, { title: "Costs and failures" }),
        events: [
          user("u1", "one"), active, done("u1", { costUsd: 0.01 }), idle,
          user("u2", "two"), active, done("u2", { costUsd: 0.03 }), idle,
          user("u3", "three"), active,
          { type: "streamData", data: { kind: "message", messageId: "m3", text: apiText, content: [] } },
          { type: "sessionError", data: { code: "CLAUDE_ERROR", message: `Claude Code reported an error: ${apiText}`, details: { reason: apiText } } },
          done("u3", { isError: true, result: apiText, costUsd: 0.03, terminalReason: "api_error", usage: { input_tokens: 1000, cache_read_input_tokens: 40000, cache_creation_input_tokens: 9000, output_tokens: 50 } }), idle,
          user("u4", "four"), active, crash, idle,
          user("u5", "five"), active, crash, idleCannot,
        ],
      },
    ]);
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    await page.locator("[data-screen=conversation][data-last-seq='22']").waitFor();
    const results = await page.locator(".conversation [data-kind=result]").allTextContents();
    expect(results[0]).toContain("$0.01");
    expect(results[1]).toContain("$0.02");
    expect(results[1]).not.toContain("$0.03");
    expect(results[2]).toMatch(/^Failed/);
    expect(results.join(" ")).not.toContain("(success)");
    await expect(page.locator(".bar-title").textContent()).resolves.toContain("$0.03");
    // The API error text appears once (one block), not as a reply, an error and a result.
    const text = (await page.locator(".conversation").textContent()) ?? "";
    expect(text.split("API Error: 500").length - 1).toBe(1);
    const errors = page.locator(".conversation [data-kind=error][data-code=CLAUDE_EXITED]");
    await expect(errors.count()).resolves.toBe(2);
    await expect(errors.first().locator("pre").textContent()).resolves.toBe(stderr);
    await expect(errors.nth(1).textContent()).resolves.toMatch(/cannot start in this session/);
    await expect(errors.first().textContent()).resolves.not.toMatch(/cannot start/);
    await shot(page, "errors");
    // The context meter and the total cost, in the session's sheet.
    await page.getByRole("button", { name: "Mode and model" }).click();
    await expect(page.locator(".usage label").textContent()).resolves.toBe("Context: 50k of 200k tokens (25 %)");
    await expect(page.locator("#context-meter").getAttribute("value")).resolves.toBe("50000");
    await expect(page.locator("[data-sheet=session]").textContent()).resolves.toContain("Session cost so far: $0.03");
    await context.close();
  });

  test("an answered question shows the answer; a denied tool says denied and the message; a queued prompt is drawn after the turn's result", async () => {
    const q = "Which database?";
    const { page, context } = await phoneOn([
      {
        info: sessionInfo(SID, { title: "Pick a database" }),
        events: [
          user("u1", "Pick a database"),
          active,
          toolUse("t1", "AskUserQuestion", { questions: [{ question: q, header: "DB", multiSelect: false, options: [{ label: "SQLite" }, { label: "Postgres" }] }] }),
          request("p1", "t1", { kind: "question", toolName: "AskUserQuestion", input: { questions: [] } }),
          resolved("p1", "allow"),
          { type: "streamToolUse", data: { phase: "result", toolUseId: "t1", isError: false, content: `Your questions have been answered: "${q}"="SQLite".`, structured: { answers: { [q]: "SQLite" } } } },
          toolUse("t2", "Write", { file_path: "/home/me/app/db.ts", content: "x" }),
          request("p2", "t2", {}),
          user("u2", "and then the schema"),
          resolved("p2", "deny", "not in this file"),
          { type: "streamToolUse", data: { phase: "result", toolUseId: "t2", isError: true, content: "not in this file" } },
          done("u1"),
        ],
      },
    ]);
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    await page.locator("[data-screen=conversation][data-last-seq='12']").waitFor();
    const question = page.locator("article[data-tool=AskUserQuestion]");
    await expect(question.locator(".answers").textContent()).resolves.toBe(`${q}SQLite`);
    const denied = page.locator("article[data-tool=Write]");
    await expect(denied.locator(".tool-status").textContent()).resolves.toBe("denied");
    await expect(denied.textContent()).resolves.toContain("“not in this file”");
    expect(await denied.locator(".tool-status.failed").count()).toBe(0);
    const order = (await shownItems(page)).map((i) => `${i.kind}:${i.seq}`);
    expect(order).toEqual(["user:1", "tool:3", "tool:7", "result:12", "user:9"]);
    await context.close();
  });

  test("/compact shows a 'compacted' notice and does not show the previous answer again", async () => {
    const { page, context } = await phoneOn([
      {
        info: sessionInfo(SID, { title: "Compact me" }),
        events: [
          user("u1", "Compact me"), active,
          { type: "streamData", data: { kind: "message", messageId: "m1", text: "Here is the plan.", content: [] } },
          done("u1"), idle,
          user("u2", "/compact"), active,
          { type: "claudeEvent", data: { claudeType: "system", subtype: "compact_boundary", raw: {} } },
          { type: "streamData", data: { kind: "message", messageId: "m2", text: "Here is the plan.", content: [] } },
          done("u2"), idle,
        ],
      },
    ]);
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    await page.locator("[data-screen=conversation][data-last-seq='11']").waitFor();
    await expect(page.locator(".bubble.assistant").count()).resolves.toBe(1);
    await page.locator(".conversation [data-kind=notice]", { hasText: "Conversation compacted" }).waitFor();
    await context.close();
  });

  test("sessions in one directory are told apart: title, last message, directory, mode and state; a model can be chosen at start", async () => {
    const A = "44444444-4444-4444-8444-444444444441";
    const B = "44444444-4444-4444-8444-444444444442";
    const C = "44444444-4444-4444-8444-444444444443";
    const { page, stub, context } = await phoneOn([
      { info: sessionInfo(A, { title: "Fix the login bug", lastMessage: "The token check now runs first.", lastActivity: Date.now() - 1000 }), events: [] },
      { info: sessionInfo(B, { title: "Write the README", lastMessage: "Which sections?", state: "active", permissionMode: "acceptEdits", lastActivity: Date.now() - 2000 }), events: [] },
      { info: sessionInfo(C, { state: "closed", lastActivity: Date.now() - 3000 }), events: [] },
    ]);
    const rows = page.locator(".session-row");
    await expect(rows.count()).resolves.toBe(3);
    expect(await rows.locator(".row-title").allTextContents()).toEqual(["Fix the login bug", "Write the README", "New session"]);
    await expect(rows.nth(0).locator(".row-last").textContent()).resolves.toBe("The token check now runs first.");
    await expect(rows.nth(1).locator(".row-meta").textContent()).resolves.toBe("app · accepts edits");
    expect(await rows.locator(".state").allTextContents()).toEqual(["idle", "working", "closed"]);
    await shot(page, "sessions-titles");
    await page.getByRole("button", { name: "+ New session" }).click();
    await page.getByLabel("Model").fill("opus");
    await page.getByRole("button", { name: "Start session" }).click();
    expect((await stub.waitForSent("streamStart")).data).toMatchObject({ model: "opus", permissionMode: "default" });
    await context.close();
  });

  test("pick a directory instead of typing it: the allowed roots, their subdirectories with git repositories marked, then start there", async () => {
    const { page, stub, context } = await phoneOn([]);
    const listings: Record<string, unknown> = {
      "": { roots: ["/home/me"], path: null, parent: null, truncated: false, directories: [{ name: "/home/me", path: "/home/me", git: false, modifiedAt: 1 }] },
      "/home/me": { roots: ["/home/me"], path: "/home/me", parent: null, truncated: false, directories: [
        { name: "shop", path: "/home/me/shop", git: true, modifiedAt: 3 },
        { name: "notes", path: "/home/me/notes", git: false, modifiedAt: 2 },
      ] },
      "/home/me/shop": { roots: ["/home/me"], path: "/home/me/shop", parent: "/home/me", truncated: false, directories: [] },
    };
    const asked: string[] = [];
    await page.route("**/api/directories*", (r) => {
      const path = new URL(r.request().url()).searchParams.get("path") ?? "";
      asked.push(path);
      return r.fulfill({ json: listings[path] });
    });
    await page.getByRole("button", { name: "+ New session" }).click();
    await page.getByRole("button", { name: "Browse directories…" }).click();
    const picker = page.locator("[data-sheet=directories]");
    await picker.getByText("Allowed: /home/me").waitFor();
    await picker.getByRole("button", { name: "Open /home/me" }).click();
    await picker.getByRole("button", { name: "Open shop" }).waitFor();
    await expect(picker.locator("[data-git=true]").allTextContents()).resolves.toEqual(["shopgit"]);
    await shot(page, "directory-picker");
    await picker.getByRole("button", { name: "Open shop" }).click();
    await picker.getByText("No subdirectories here.").waitFor();
    await picker.getByRole("button", { name: "Use this directory" }).click();
    await expect(page.getByLabel("Working directory").inputValue()).resolves.toBe("/home/me/shop");
    expect(asked).toEqual(["", "/home/me", "/home/me/shop"]);
    await page.getByRole("button", { name: "Start session" }).click();
    expect((await stub.waitForSent("streamStart")).data).toMatchObject({ workingDirectory: "/home/me/shop" });
    await context.close();
  });

  test("tap targets are at least 44 px and the header fits at 360 px", async () => {
    const { page, context } = await phoneOn(
      [
        {
          info: sessionInfo(SID, { state: "active", title: "A rather long session title that must not push the header out", model: "claude-opus-4-5" }),
          events: [
            user("u1", "go"),
            active,
            toolUse("t1", "Grep", { pattern: "x" }),
            { type: "streamToolUse", data: { phase: "result", toolUseId: "t1", isError: false, content: "a\n".repeat(30) } },
            toolUse("t2", "Write", { file_path: "/home/me/app/a.txt", content: "x" }),
            request("p1", "t2", {}),
          ],
        },
      ],
      360,
    );
    await page.goto(`${stubbed.front.url}/#/s/${SID}`);
    await page.locator("article[data-tool=Write] .deny-msg").waitFor();
    const small = await page.$$eval("button, summary, input, select, textarea, a.session-row", (els) =>
      els
        .filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null)
        .map((e) => ({ what: `${e.tagName.toLowerCase()} ${e.getAttribute("aria-label") ?? e.textContent?.trim().slice(0, 20)}`, h: Math.round(e.getBoundingClientRect().height) }))
        .filter((x) => x.h < 44),
    );
    expect(small).toEqual([]);
    const bar = await page.locator("header.bar").evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(bar.scroll).toBeLessThanOrEqual(bar.client);
    await context.close();
  });
});

async function vitestWait(check: () => boolean): Promise<void> {
  await vi.waitFor(() => {
    if (!check()) throw new Error("not yet");
  }, { timeout: 10_000, interval: 50 });
}
