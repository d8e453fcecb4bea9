// The @ picker's search is bounded: it stops at its count and at its time, and says so (truncated).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { rankFiles, searchFiles } from "../../src/sessions/file-search.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

let root: string;
let plain: string;
let repo: string;
beforeAll(() => {
  root = tempDir("cc-search-");
  plain = join(root, "plain");
  repo = join(root, "repo");
  for (const dir of [plain, repo]) {
    for (let i = 0; i < 30; i++) {
      mkdirSync(join(dir, `d${i % 5}`), { recursive: true });
      writeFileSync(join(dir, `d${i % 5}`, `f${i}.txt`), "");
    }
  }
  execFileSync("git", ["-C", repo, "init", "-q"]);
});
afterAll(() => cleanupTempDirs());

test.each([
  ["a walk", () => plain, "walk"],
  ["git ls-files", () => repo, "git"],
])("%s stops at its count: truncated, no more names looked at than the bound", async (_name, dir, source) => {
  const r = await searchFiles([root], { dir: dir(), q: "", limit: 200 }, { maxFiles: 7, timeMs: 5000 });
  expect(r).toMatchObject({ source, truncated: true });
  expect(r.files.length).toBeLessThanOrEqual(7);
  const all = await searchFiles([root], { dir: dir(), q: "", limit: 200 }, { maxFiles: 1000, timeMs: 5000 });
  expect(all).toMatchObject({ source, truncated: false });
  expect(all.files).toHaveLength(30);
});

test("a walk stops at its time: truncated", async () => {
  const r = await searchFiles([root], { dir: plain, q: "", limit: 200 }, { maxFiles: 1000, timeMs: -1 });
  expect(r).toMatchObject({ source: "walk", truncated: true, files: [] });
});

test("ranking: the name starts with q, then the name contains it, then the path; shorter first", () => {
  const files = ["src/deep/thread-reader.ts", "docs/reader-guide.md", "reader/index.ts", "src/reader.ts", "README.md", "other.txt"];
  expect(rankFiles(files, "read", 10)).toEqual(["README.md", "src/reader.ts", "docs/reader-guide.md", "src/deep/thread-reader.ts", "reader/index.ts"]);
  expect(rankFiles(files, "read", 2)).toEqual(["README.md", "src/reader.ts"]);
});
