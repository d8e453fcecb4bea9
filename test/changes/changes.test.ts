// The changes room's pure parts (git's porcelain status, the tools' writes from session events, the diff cut) and git's time limit.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createChanges, parsePorcelain, toolWrites } from "../../src/changes/index.js";
import { truncateDiff } from "../../src/changes/text-diff.js";
import { CompanionError } from "../../src/protocol/errors.js";
import type { SessionEvent } from "../../src/protocol/events.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

afterAll(() => cleanupTempDirs());

describe("parsePorcelain", () => {
  test.each([
    [" M a.ts\0", [{ path: "a.ts", status: "modified" }]],
    ["M  a.ts\0MM b.ts\0 T c\0", [{ path: "a.ts", status: "modified" }, { path: "b.ts", status: "modified" }, { path: "c", status: "modified" }]],
    ["A  new.ts\0?? u.txt\0 D gone\0D  staged-gone\0", [{ path: "new.ts", status: "added" }, { path: "u.txt", status: "untracked" }, { path: "gone", status: "deleted" }, { path: "staged-gone", status: "deleted" }]],
    ["R  to.ts\0from.ts\0 M x\0", [{ path: "to.ts", status: "renamed", oldPath: "from.ts" }, { path: "x", status: "modified" }]],
    ["UU both\0AA add\0DD del\0", [{ path: "both", status: "conflicted" }, { path: "add", status: "conflicted" }, { path: "del", status: "conflicted" }]],
    ["?? with space and ünïcode.md\0", [{ path: "with space and ünïcode.md", status: "untracked" }]],
    // Cut off by the output limit: the partial last entry is dropped.
    [" M a\0 M b", [{ path: "a", status: "modified" }]],
    ["R  to\0fr", []],
    ["", []],
  ])("%j", (out, files) => {
    expect(parsePorcelain(out)).toEqual(files);
  });
});

let seq = 0;
const use = (toolUseId: string, name: string, input: unknown): SessionEvent => ({ seq: ++seq, sessionId: "s", ts: 0, type: "streamToolUse", data: { phase: "use", toolUseId, name, input } });
const result = (toolUseId: string, isError: boolean, structured?: unknown): SessionEvent => ({
  seq: ++seq, sessionId: "s", ts: 0, type: "streamToolUse", data: { phase: "result", toolUseId, isError, content: "", ...(structured !== undefined ? { structured } : {}) },
});

describe("toolWrites", () => {
  test("successful Write/Edit/MultiEdit/NotebookEdit uses, by path, with the content before the first write", () => {
    const events = [
      use("1", "Write", { file_path: "/w/new.txt", content: "x" }),
      result("1", false, { type: "create", filePath: "/w/new.txt", content: "x", originalFile: null }),
      use("2", "Edit", { file_path: "/w/old.txt", old_string: "a", new_string: "b" }),
      result("2", false, { filePath: "/w/old.txt", originalFile: "a\n" }),
      // A later write of the same file keeps the first baseline.
      use("3", "Edit", { file_path: "/w/old.txt", old_string: "b", new_string: "c" }),
      result("3", false, { filePath: "/w/old.txt", originalFile: "b\n" }),
      use("4", "Write", { file_path: "/w/denied.txt", content: "x" }),
      result("4", true),
      use("5", "Read", { file_path: "/w/read.txt" }),
      result("5", false),
      use("6", "Write", { file_path: "/w/pending.txt", content: "x" }),
      use("7", "MultiEdit", { file_path: "rel/m.ts", edits: [] }),
      result("7", false),
      use("8", "NotebookEdit", { notebook_path: "/w/n.ipynb", new_source: "" }),
      result("8", false, { type: "update", originalFile: "{}" }),
      use("9", "Write", { file_path: 42 }),
      result("9", false),
    ];
    const writes = toolWrites(events, (p) => (p.startsWith("/") ? p : `/w/${p}`));
    expect([...writes.values()]).toEqual([
      { path: "/w/new.txt", before: "", created: true },
      { path: "/w/old.txt", before: "a\n", created: false },
      { path: "/w/rel/m.ts", before: null, created: false },
      { path: "/w/n.ipynb", before: "{}", created: false },
    ]);
  });
});

test.each([
  ["a\nb\nc\n", 100, "a\nb\nc\n", false],
  ["a\nb\nc\n", 5, "a\nb\n", true],
  ["ééé\nx\n", 5, "", true],
  ["ééé\nx\n", 7, "ééé\n", true],
])("truncateDiff(%j, %d)", (text, max, cut, truncated) => {
  expect(truncateDiff(text, max)).toEqual({ text: cut, truncated });
});

test("a git command over its time limit is GIT_FAILED, naming the command and the directory", async () => {
  const dir = tempDir("cc-git-slow-");
  execFileSync("git", ["init", "-q"], { cwd: dir });
  writeFileSync(join(dir, "a.txt"), "a");
  const changes = createChanges({ resolvePath: (p) => p, limits: { gitTimeoutMs: 1 } });
  const err = await changes.list({ id: "s", workingDirectory: dir, events: () => [] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CompanionError);
  // Whichever of its git commands the 1 ms limit stops first (a fast machine may finish rev-parse in time).
  expect(err).toMatchObject({ code: "GIT_FAILED", details: { command: expect.stringMatching(/^(rev-parse|status|symbolic-ref)$/), directory: dir, reason: "it took longer than 1 ms" } });
});
