// The .gitignore matcher of the @ picker's walk (directories that are no git repository).
import { expect, test } from "vitest";
import { isIgnored, parseGitignore } from "../../src/sessions/gitignore.js";

const rules = [
  ...parseGitignore("# a comment\n\n*.log\n!keep.log\nbuild/\n/top.txt\ndocs/**/*.tmp\nfile?.c\n", ""),
  ...parseGitignore("secret\n", "sub"),
];

test.each([
  ["a.log", false, true],
  ["deep/x/a.log", false, true],
  ["keep.log", false, false],
  ["build", true, true],
  ["build", false, false],
  ["x/build", true, true],
  ["top.txt", false, true],
  ["x/top.txt", false, false],
  ["docs/a/b/c.tmp", false, true],
  ["docs/c.tmp", false, true],
  ["file1.c", false, true],
  ["file10.c", false, false],
  ["sub/secret", false, true],
  ["secret", false, false],
  ["src/main.ts", false, false],
])("%s (directory: %s) ignored: %s", (path, isDir, ignored) => {
  expect(isIgnored(rules, path, isDir)).toBe(ignored);
});
