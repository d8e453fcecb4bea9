// Edits as diffs in the transcript: DiffView draws hunks with line numbers; ChangeDiff finds them for an Edit/MultiEdit/Write.
import { useEffect, useState } from "preact/hooks";
import type { FileResponse } from "../../protocol/changes.js";
import { applyChange, diffRows, editPath, hunksOf, inputHunks, resultHunks, type Hunk } from "../edit-diff.js";
import { getState } from "../store.js";
import type { ToolResult } from "../transcript.js";

/** Rows beyond this are not drawn (a Write of a huge file); the count says how many were left out. */
const MAX_ROWS = 2000;

/** Hunks as a unified diff: old and new line numbers, -/+ marks, context lines; `numbered` false hides numbers that are not the file's. */
export function DiffView({ hunks, numbered = true, label = "Change" }: { hunks: Hunk[]; numbered?: boolean; label?: string }) {
  const rows = diffRows(hunks);
  const shown = rows.slice(0, MAX_ROWS);
  return (
    <div class={`edit-diff${numbered ? "" : " unnumbered"}`} role="table" aria-label={label}>
      {shown.map((r, i) => (
        <div key={i} class={`dl ${r.kind}`} role="row">
          {numbered && <span class="ln" role="cell">{r.oldNo ?? ""}</span>}
          {numbered && <span class="ln" role="cell">{r.newNo ?? ""}</span>}
          <span class="dt" role="cell">
            <span class="mark">{r.kind === "add" ? "+" : r.kind === "del" ? "-" : r.kind === "gap" ? "" : " "}</span>
            {r.text}
          </span>
        </div>
      ))}
      {rows.length > shown.length && <p class="muted small">{rows.length - shown.length} more lines not shown</p>}
    </div>
  );
}

// The file as it was when a card first asked (per tool use): scrolling a card away and back does not read it again.
const onDisk = new Map<string, Promise<string | null>>();

async function readOnDisk(path: string): Promise<string | null> {
  const token = getState().token;
  const res = await fetch(`/api/files?path=${encodeURIComponent(path)}`, {
    headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    cache: "no-store",
    credentials: "omit",
  });
  // FORBIDDEN_PATH: missing (a new file), outside the roots or unreadable; FILE_TOO_LARGE: over 1 MiB. Either way no context.
  if (!res.ok) return null;
  const body = (await res.json()) as FileResponse;
  return body.binary ? null : body.content;
}

type Shown = { hunks: Hunk[]; numbered: boolean };

/**
 * The diff of a change tool: Claude Code's own hunks once the result has them; before that (the approval card,
 * a denied or failed use) the file on disk (GET /api/files, inside the allowed roots) with the change applied
 * to it, so hunks have the file's line numbers and context; else the tool input alone, without line numbers.
 */
export function ChangeDiff({ toolUseId, name, input, result }: { toolUseId: string; name: string; input: unknown; result?: ToolResult }) {
  const fromResult = result && !result.isError ? resultHunks(result.structured) : null;
  const path = editPath(input);
  const [disk, setDisk] = useState<Shown | null>(null);
  useEffect(() => {
    // A Write needs no context: its content is the whole new file, numbered as it will be (and a new file's
    // read would only be refused, which the browser logs as an error).
    if (fromResult || !path || name === "Write") return;
    let live = true;
    const key = `${toolUseId}\n${path}`;
    if (!onDisk.has(key)) onDisk.set(key, readOnDisk(path).catch(() => null));
    void onDisk.get(key)!.then((original) => {
      const applied = applyChange(name, input, original);
      if (!live || !applied) return;
      setDisk({ hunks: hunksOf(applied.before, applied.after), numbered: true });
    });
    return () => {
      live = false;
    };
  }, [toolUseId, path, !!fromResult]);
  const shown: Shown = fromResult ? { hunks: fromResult, numbered: true } : (disk ?? { hunks: inputHunks(name, input), numbered: name === "Write" });
  return <DiffView hunks={shown.hunks} numbered={shown.numbered} />;
}
