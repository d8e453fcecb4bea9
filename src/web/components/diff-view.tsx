// One changed file as a unified diff: old and new line numbers beside each line, added and removed lines marked.
import type { DiffResponse } from "../../protocol/changes.js";
import { fetchChanges, fetchDiff } from "../api.js";
import { diffRows, diffStat, type DiffRow } from "../diff-lines.js";
import { navigate } from "../navigate.js";
import { absolutePath } from "./changes-view.js";
import { FetchedHead } from "./fetched-head.js";
import { useFetched } from "./use-fetched.js";

const AGAINST: Record<DiffResponse["against"], string> = {
  head: "against the last commit",
  nothing: "a new file",
  before: "against the file before this session's first change",
};

function Row({ r }: { r: DiffRow }) {
  if (r.kind === "file") return null;
  if (r.kind === "hunk" || r.kind === "note") {
    return (
      <tr class={`d-${r.kind}`}>
        <td class="ln" />
        <td class="ln" />
        <td class="code">{r.text}</td>
      </tr>
    );
  }
  const sign = r.kind === "add" ? "+" : r.kind === "del" ? "-" : " ";
  return (
    <tr class={`d-${r.kind}`} data-kind={r.kind}>
      <td class="ln">{r.kind === "add" ? "" : r.old}</td>
      <td class="ln">{r.kind === "del" ? "" : r.new}</td>
      <td class="code">
        <span class="sign" aria-hidden="true">
          {sign}
        </span>
        {r.text}
      </td>
    </tr>
  );
}

export function DiffView({ id, path }: { id: string; path: string }) {
  const r = useFetched(`diff:${id}:${path}`, (token) => fetchDiff(token, id, path));
  const base = useFetched(`changes:${id}`, (token) => fetchChanges(token, id)).data?.base;
  const d = r.data;
  const rows = d ? diffRows(d.diff) : [];
  const stat = diffStat(rows);
  return (
    <main class="diff-screen" data-screen="diff" data-path={path} data-loaded={d ? "true" : "false"}>
      <FetchedHead
        r={r}
        summary={(d) => (
          <>
            {d.status} · {AGAINST[d.against]} · <span class="d-added">+{stat.added}</span> <span class="d-removed">−{stat.removed}</span>
          </>
        )}
        action={
          base &&
          d?.status !== "deleted" && (
            <button type="button" class="btn" onClick={() => navigate({ name: "file", id, path: absolutePath(base, path) })}>
              View file
            </button>
          )
        }
      />
      {d?.binary && <p class="muted center-text">Binary file: no text diff to show.</p>}
      {d && !d.binary && rows.length === 0 && <p class="muted center-text">No difference.</p>}
      {rows.length > 0 && (
        <div class="scroll-x">
          <table class="diff mono" aria-label={`Diff of ${path}`}>
            <tbody>
              {rows.map((row, i) => (
                <Row key={i} r={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d?.truncated && <p class="muted small">The diff is longer than the phone is sent; the rest is cut off.</p>}
    </main>
  );
}
