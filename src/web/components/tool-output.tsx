// A tool's result in its card: short output shown, long output folded behind its line count, errors wrapped, Bash's exit status.
import type { ToolResult } from "../transcript.js";
import { preview } from "../format.js";

/** Output longer than this (lines or characters) is folded. */
const FOLD_LINES = 12;
const FOLD_CHARS = 600;

const lineCount = (text: string): number => (text === "" ? 0 : text.replace(/\n$/, "").split("\n").length);

/**
 * A Bash result's exit status: 0 when it succeeded, the code Claude Code writes first in a failed result
 * ("Exit code 3"), "interrupted" when it was stopped; null when the result does not say.
 */
export function bashExit(result: ToolResult): number | "interrupted" | null {
  const s = result.structured as { interrupted?: unknown } | null | undefined;
  if (s && typeof s === "object" && s.interrupted === true) return "interrupted";
  const m = /^(?:Error: )?Exit code (\d+)/.exec(result.content);
  if (m) return Number(m[1]);
  return result.isError ? null : 0;
}

export function ToolOutput({ name, result }: { name: string; result: ToolResult }) {
  const text = result.content || (result.isError ? "(error)" : "(no output)");
  const lines = lineCount(result.content);
  const long = text.length > FOLD_CHARS || lines > FOLD_LINES;
  const exit = name === "Bash" ? bashExit(result) : null;
  const cls = `out${result.isError ? " err" : ""}`;
  const status =
    exit === null ? null : (
      <p class={`exit small${exit === 0 ? " ok" : " bad"}`} data-exit={exit}>
        {exit === "interrupted" ? "Interrupted" : `Exit status ${exit}`}
      </p>
    );
  if (!long) {
    return (
      <>
        <pre class={cls}>
          <code>{text}</code>
        </pre>
        {status}
      </>
    );
  }
  return (
    <>
      <details class={`fold${result.isError ? " err" : ""}`}>
        <summary>
          {result.isError ? "Error" : "Output"} · {lines} line{lines === 1 ? "" : "s"}
        </summary>
        <pre class={cls}>
          <code>{preview(text, 20_000)}</code>
        </pre>
      </details>
      {status}
    </>
  );
}
