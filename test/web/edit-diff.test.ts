// Edit/MultiEdit/Write as hunks with the file's line numbers: applied to the file on disk, from Claude Code's result, or from the input alone.
import { expect, test } from "vitest";
import { applyChange, diffRows, hunksOf, inputHunks, resultHunks } from "../../src/web/edit-diff.js";

const file = Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join("");

test("an Edit applied to the file on disk gives its line numbers and three lines of context each side", () => {
  const applied = applyChange("Edit", { file_path: "/x", old_string: "line 10\n", new_string: "line ten\nline 10.5\n" }, file)!;
  const rows = diffRows(hunksOf(applied.before, applied.after));
  expect(rows.map((r) => [r.kind, r.oldNo, r.newNo, r.text])).toEqual([
    ["gap", null, null, "@@ -7,7 +7,8 @@"],
    ["ctx", 7, 7, "line 7"],
    ["ctx", 8, 8, "line 8"],
    ["ctx", 9, 9, "line 9"],
    ["del", 10, null, "line 10"],
    ["add", null, 10, "line ten"],
    ["add", null, 11, "line 10.5"],
    ["ctx", 11, 12, "line 11"],
    ["ctx", 12, 13, "line 12"],
    ["ctx", 13, 14, "line 13"],
  ]);
});

test("MultiEdit applies its edits in order; replace_all replaces every occurrence", () => {
  const applied = applyChange("MultiEdit", { edits: [{ old_string: "line 2\n", new_string: "two\n" }, { old_string: "two", new_string: "TWO" }] }, file)!;
  expect(applied.after.startsWith("line 1\nTWO\nline 3\n")).toBe(true);
  const all = applyChange("Edit", { old_string: "line 1", new_string: "L1", replace_all: true }, file)!;
  expect(all.after.split("\n").filter((l) => l.startsWith("L1"))).toHaveLength(11);
});

test("an Edit whose old text is not in the file (already applied, or edited since) does not apply", () => {
  expect(applyChange("Edit", { old_string: "nope", new_string: "x" }, file)).toBeNull();
  expect(applyChange("Edit", { old_string: "line 1", new_string: "x" }, null)).toBeNull();
});

test("a Write of a file that is not on disk is all added lines, numbered from 1", () => {
  const applied = applyChange("Write", { content: "a\nb\n" }, null)!;
  expect(diffRows(hunksOf(applied.before, applied.after)).map((r) => [r.kind, r.newNo, r.text])).toEqual([
    ["add", 1, "a"],
    ["add", 2, "b"],
  ]);
});

test("Claude Code's structuredPatch is used as it is; a created file's content is all new", () => {
  const patch = [{ oldStart: 7, oldLines: 7, newStart: 7, newLines: 8, lines: [" line 7", "-line 10", "+line ten"] }];
  expect(resultHunks({ structuredPatch: patch })).toEqual(patch);
  expect(resultHunks({ type: "create", content: "x\n", structuredPatch: [] })).toEqual([{ oldStart: 1, oldLines: 0, newStart: 1, newLines: 1, lines: ["+x"] }]);
  expect(resultHunks("Error: something")).toBeNull();
  expect(resultHunks({ structuredPatch: [{ nonsense: true }] })).toBeNull();
});

test("without the file, the input alone gives each edit's old and new lines", () => {
  const rows = diffRows(inputHunks("Edit", { old_string: "a\nb\n", new_string: "a\nc\n" }));
  expect(rows.map((r) => [r.kind, r.text])).toEqual([
    ["ctx", "a"],
    ["del", "b"],
    ["add", "c"],
  ]);
});
