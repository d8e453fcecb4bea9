// Compact cards for tool uses: Bash (command and output), Edit/Write (file and change), others folded.
import type { Item, ToolResult } from "../transcript.js";
import { preview } from "../format.js";
import { ChangeDiff } from "./change-diff.js";
import { SubagentGroup, SUBAGENT_TOOLS } from "./subagent-group.js";
import { ToolOutput } from "./tool-output.js";
import { answersOf, PermissionBody, requestTitle } from "./permission-card.js";

type Rec = Record<string, unknown>;
const asRec = (v: unknown): Rec => (v && typeof v === "object" ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The input of a tool, as a tool card and a permission card show it. */
export function ToolInput({ name, input, toolUseId, result }: { name: string; input: unknown; toolUseId: string; result?: ToolResult }) {
  const i = asRec(input);
  const file = str(i.file_path) ?? str(i.notebook_path) ?? str(i.path);
  switch (name) {
    case "Bash":
      return (
        <>
          {str(i.description) && <p class="muted small">{str(i.description)}</p>}
          <pre class="cmd">
            <code>{`$ ${str(i.command) ?? ""}`}</code>
          </pre>
        </>
      );
    case "Edit":
    case "MultiEdit":
    case "Write":
      return (
        <>
          <p class="mono small path">{file}</p>
          <ChangeDiff toolUseId={toolUseId} name={name} input={input} result={result} />
        </>
      );
    case "Read":
    case "NotebookEdit":
      return <p class="mono small path">{file}</p>;
    default:
      return (
        <details>
          <summary>Input</summary>
          <pre>
            <code>{preview(input)}</code>
          </pre>
        </details>
      );
  }
}

/** What a card's status line says: running, waiting for you (a request is open), denied, failed or done. */
export function toolStatus(item: Extract<Item, { kind: "tool" }>): "running" | "waiting" | "denied" | "failed" | "done" {
  if (item.request && !item.resolved) return "waiting";
  if (item.resolved?.decision === "deny") return "denied";
  if (!item.result) return "running";
  return item.result.isError ? "failed" : "done";
}

const STATUS_TEXT = { running: "running…", waiting: "waiting for you", denied: "denied", failed: "failed", done: "done" } as const;

/** One card per tool use; while Claude asks to run it, the card is the approval (and keeps the answer). */
export function ToolCard({ item, sessionId }: { item: Extract<Item, { kind: "tool" }>; sessionId: string }) {
  const status = toolStatus(item);
  const req = item.request;
  const answers = req?.kind === "question" ? answersOf(item.result?.structured) : null;
  return (
    <article
      class={`tool tool-${status}${req ? " perm" : ""}${item.resolved ? " resolved" : ""}`}
      data-kind="tool"
      data-seq={item.seq}
      data-tool={item.name}
      data-status={status}
      data-permission-id={req?.permissionId}
      data-resolved={item.resolved?.decision}
      aria-label={req && !item.resolved ? requestTitle(req) : `Tool ${item.name}`}
    >
      <header>
        <span class="tool-name">{req && !item.resolved ? requestTitle(req) : item.name}</span>
        <span class={`tool-status ${status}`}>{STATUS_TEXT[status]}</span>
      </header>
      {item.input !== undefined && req?.kind !== "question" && req?.kind !== "plan" && <ToolInput name={item.name} input={item.input} toolUseId={item.toolUseId} result={item.result} />}
      {req && <PermissionBody request={req} resolved={item.resolved} sessionId={sessionId} toolInput={item.input ?? null} answers={answers} />}
      {item.result && status !== "denied" && req?.kind !== "question" && <ToolOutput name={item.name} result={item.result} />}
      {(SUBAGENT_TOOLS.has(item.name) || item.children) && <SubagentGroup item={item} sessionId={sessionId} />}
    </article>
  );
}
