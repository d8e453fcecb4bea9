// The diff view's rows: each line of a unified diff with its old and new line numbers.
import { expect, test } from "vitest";
import { diffRows, diffStat } from "../../src/web/diff-lines.js";

test("git's diff: file headers, then hunks numbered from their @@ line", () => {
  const diff = [
    "diff --git a/src/app.ts b/src/app.ts",
    "index 1..2 100644",
    "--- a/src/app.ts",
    "+++ b/src/app.ts",
    "@@ -1,3 +1,3 @@ function f() {",
    " const a = 1;",
    "-const b = 2;",
    "+const b = 20;",
    " const c = 3;",
    "@@ -10,2 +10,3 @@",
    " x",
    "+y",
    " z",
    "\\ No newline at end of file",
    "",
  ].join("\n");
  const rows = diffRows(diff);
  expect(rows).toEqual([
    { kind: "file", text: "diff --git a/src/app.ts b/src/app.ts" },
    { kind: "file", text: "index 1..2 100644" },
    { kind: "file", text: "--- a/src/app.ts" },
    { kind: "file", text: "+++ b/src/app.ts" },
    { kind: "hunk", text: "@@ -1,3 +1,3 @@ function f() {" },
    { kind: "context", old: 1, new: 1, text: "const a = 1;" },
    { kind: "del", old: 2, text: "const b = 2;" },
    { kind: "add", new: 2, text: "const b = 20;" },
    { kind: "context", old: 3, new: 3, text: "const c = 3;" },
    { kind: "hunk", text: "@@ -10,2 +10,3 @@" },
    { kind: "context", old: 10, new: 10, text: "x" },
    { kind: "add", new: 11, text: "y" },
    { kind: "context", old: 11, new: 12, text: "z" },
    { kind: "note", text: "No newline at end of file" },
  ]);
  expect(diffStat(rows)).toEqual({ added: 2, removed: 1 });
});

test.each([
  ["", []],
  ["--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1 @@\n+only\n", [
    { kind: "file", text: "--- /dev/null" },
    { kind: "file", text: "+++ b/n.txt" },
    { kind: "hunk", text: "@@ -0,0 +1 @@" },
    { kind: "add", new: 1, text: "only" },
  ]],
  // An empty context line (a blank line in the file) may come without its leading space.
  ["@@ -5,2 +5,2 @@\n\n-a\n+b\n", [
    { kind: "hunk", text: "@@ -5,2 +5,2 @@" },
    { kind: "context", old: 5, new: 5, text: "" },
    { kind: "del", old: 6, text: "a" },
    { kind: "add", new: 6, text: "b" },
  ]],
])("diffRows(%j)", (diff, rows) => {
  expect(diffRows(diff)).toEqual(rows);
});
