// A subagent (an Agent tool use) as one collapsible group in its card: what it said and the tools it used, drawn when opened.
import { useState } from "preact/hooks";
import type { Item } from "../transcript.js";
import { Markdown } from "./markdown-view.js";
import { ToolCard } from "./tool-card.js";

type ToolItem = Extract<Item, { kind: "tool" }>;

/** The tools whose use runs a subagent (2.1.332 calls it Agent; earlier versions Task). */
export const SUBAGENT_TOOLS = new Set(["Agent", "Task"]);

export function SubagentGroup({ item, sessionId }: { item: ToolItem; sessionId: string }) {
  const [open, setOpen] = useState(false);
  const children = item.children ?? [];
  const tools = children.filter((c) => c.kind === "tool").length;
  const running = children.filter((c) => c.kind === "tool" && !c.result).length;
  return (
    <details class="subagent" data-subagent={item.toolUseId} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        Subagent · {tools} tool use{tools === 1 ? "" : "s"}
        {running > 0 ? ` · ${running} running` : ""}
      </summary>
      {open && (
        <div class="subagent-items">
          {children.length === 0 && <p class="muted small">Nothing yet.</p>}
          {children.map((c) =>
            c.kind === "tool" ? (
              <ToolCard key={c.key} item={c} sessionId={sessionId} />
            ) : c.kind === "assistant" ? (
              <div key={c.key} class="subagent-text">
                <Markdown text={c.text} />
              </div>
            ) : null,
          )}
        </div>
      )}
    </details>
  );
}
