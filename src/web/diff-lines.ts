// A unified diff as rows to show: each line with its old and new line number, hunk headers and file headers apart. Pure.

export type DiffRow =
  | { kind: "file"; text: string }
  | { kind: "hunk"; text: string }
  | { kind: "context"; old: number; new: number; text: string }
  | { kind: "add"; new: number; text: string }
  | { kind: "del"; old: number; text: string }
  | { kind: "note"; text: string };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/** Parses `git diff` / jsdiff output; lines before the first hunk (diff --git, index, ---, +++) are `file` rows. */
export function diffRows(diff: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let old = 0;
  let now = 0;
  let inHunk = false;
  const lines = diff.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    const h = HUNK.exec(line);
    if (h) {
      old = Number(h[1]);
      now = Number(h[2]);
      inHunk = true;
      rows.push({ kind: "hunk", text: line });
    } else if (!inHunk || line.startsWith("diff --git ")) {
      inHunk = false;
      rows.push({ kind: "file", text: line });
    } else if (line.startsWith("+")) {
      rows.push({ kind: "add", new: now++, text: line.slice(1) });
    } else if (line.startsWith("-")) {
      rows.push({ kind: "del", old: old++, text: line.slice(1) });
    } else if (line.startsWith("\\")) {
      rows.push({ kind: "note", text: line.slice(2) });
    } else {
      rows.push({ kind: "context", old: old++, new: now++, text: line.slice(1) });
    }
  }
  return rows;
}

/** Lines added and removed. */
export function diffStat(rows: readonly DiffRow[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const r of rows) {
    if (r.kind === "add") added++;
    else if (r.kind === "del") removed++;
  }
  return { added, removed };
}
