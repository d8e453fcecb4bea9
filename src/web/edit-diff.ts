// What an Edit, MultiEdit or Write changes, as unified-diff hunks with the file's line numbers. Pure (jsdiff), no DOM.
import { structuredPatch } from "diff";

/** One hunk as jsdiff (and Claude Code's `structuredPatch`) write it: `lines` start with " ", "-" or "+". */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** Lines of context around each change. */
export const DIFF_CONTEXT = 3;

/** The tools whose input is a change to one file. */
export const EDIT_TOOLS = new Set(["Edit", "MultiEdit", "Write"]);

type Rec = Record<string, unknown>;
const asRec = (v: unknown): Rec => (v && typeof v === "object" ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The file a change tool writes. */
export const editPath = (input: unknown): string | undefined => str(asRec(input).file_path);

/** Hunks between two texts, `context` lines around each change. */
export function hunksOf(before: string, after: string, context = DIFF_CONTEXT): Hunk[] {
  return structuredPatch("a", "b", before, after, undefined, undefined, { context }).hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    // jsdiff marks a missing final newline with a "\ No newline" line: not a line of the file.
    lines: h.lines.filter((l) => !l.startsWith("\\")),
  }));
}

const edits = (name: string, input: unknown): { old: string; new: string; all: boolean }[] => {
  const i = asRec(input);
  const list = name === "MultiEdit" ? (Array.isArray(i.edits) ? i.edits : []) : [i];
  return list.map((e) => ({ old: str(asRec(e).old_string) ?? "", new: str(asRec(e).new_string) ?? "", all: asRec(e).replace_all === true }));
};

/**
 * The file after the change, from its content on disk before it (`original`, null when it does not exist).
 * Null when the change does not apply to that content (an old_string it does not hold: already applied, or edited since).
 */
export function applyChange(name: string, input: unknown, original: string | null): { before: string; after: string } | null {
  if (name === "Write") return { before: original ?? "", after: str(asRec(input).content) ?? "" };
  if (original === null) return null;
  let text = original;
  for (const e of edits(name, input)) {
    if (e.old === "" || !text.includes(e.old)) return null;
    text = e.all ? text.split(e.old).join(e.new) : text.replace(e.old, () => e.new);
  }
  return { before: original, after: text };
}

/** Hunks from the tool input alone (no file): each edit's old and new text, numbered from 1 within the edit. */
export function inputHunks(name: string, input: unknown): Hunk[] {
  if (name === "Write") return hunksOf("", str(asRec(input).content) ?? "");
  return edits(name, input).flatMap((e) => hunksOf(e.old, e.new, Number.MAX_SAFE_INTEGER));
}

/** Claude Code's own hunks in an Edit/MultiEdit/Write result (`tool_use_result.structuredPatch`), or null. */
export function resultHunks(structured: unknown): Hunk[] | null {
  const s = asRec(structured);
  const patch = s.structuredPatch;
  if (!Array.isArray(patch)) return null;
  const hunks = patch.filter(
    (h): h is Hunk =>
      !!h && typeof h === "object" && typeof (h as Hunk).oldStart === "number" && typeof (h as Hunk).newStart === "number" && Array.isArray((h as Hunk).lines),
  );
  // A created file has no hunks: all of its content is new.
  if (hunks.length === 0 && s.type === "create" && typeof s.content === "string") return hunksOf("", s.content);
  return hunks.length > 0 ? hunks : null;
}

/** One row of a drawn diff: both line numbers (null on the side the line is not on). */
export interface DiffRow {
  kind: "add" | "del" | "ctx" | "gap";
  oldNo: number | null;
  newNo: number | null;
  text: string;
}

/** The rows to draw: each hunk's lines numbered, a gap row between hunks that are not adjacent. */
export function diffRows(hunks: Hunk[]): DiffRow[] {
  const rows: DiffRow[] = [];
  hunks.forEach((h, n) => {
    if (n > 0 || h.oldStart > 1) rows.push({ kind: "gap", oldNo: null, newNo: null, text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` });
    let o = h.oldStart;
    let w = h.newStart;
    for (const line of h.lines) {
      const text = line.slice(1);
      if (line[0] === "+") rows.push({ kind: "add", oldNo: null, newNo: w++, text });
      else if (line[0] === "-") rows.push({ kind: "del", oldNo: o++, newNo: null, text });
      else rows.push({ kind: "ctx", oldNo: o++, newNo: w++, text });
    }
  });
  return rows;
}
