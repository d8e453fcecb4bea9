// A subagent's events (they carry the Agent tool use's id as parentToolUseId) folded into that tool use's card, not the transcript.
import type { SessionEvent } from "../protocol/events.js";
import type { Item, SessionView } from "./transcript.js";

type ToolItem = Extract<Item, { kind: "tool" }>;

/**
 * Applies a subagent's message or tool use to the `children` of its Agent card (in `v`, already copied by the
 * caller). False when the event is not a subagent's, or its Agent card is not in the view: then it is shown as usual.
 */
export function applySubagentEvent(v: SessionView, event: SessionEvent): boolean {
  if (event.type !== "streamData" && event.type !== "streamToolUse") return false;
  const d = event.data;
  const parent = "parentToolUseId" in d ? d.parentToolUseId : undefined;
  if (!parent) return false;
  let at = -1;
  for (let i = v.items.length - 1; i >= 0; i--) {
    const it = v.items[i]!;
    if (it.kind === "tool" && it.toolUseId === parent) {
      at = i;
      break;
    }
  }
  if (at < 0) return false;
  const card = v.items[at] as ToolItem;
  const children = card.children ?? [];
  const key = `${event.type}-${event.seq}`;
  let next: Item[] = children;
  if (event.type === "streamData") {
    const m = event.data;
    if (m.kind !== "message" || !m.text) return true; // deltas: the completed message follows
    next = [...children, { kind: "assistant", key, seq: event.seq, text: m.text, done: true }];
  } else if (event.data.phase === "use") {
    const u = event.data;
    next = [...children, { kind: "tool", key, seq: event.seq, toolUseId: u.toolUseId, name: u.name, input: u.input }];
  } else {
    const r = event.data;
    const i = children.findIndex((c) => c.kind === "tool" && c.toolUseId === r.toolUseId);
    if (i < 0) next = [...children, { kind: "tool", key, seq: event.seq, toolUseId: r.toolUseId, name: "Tool", input: undefined, result: r }];
    else {
      next = children.slice();
      next[i] = { ...(children[i] as ToolItem), result: r };
    }
  }
  const items = v.items.slice();
  items[at] = { ...card, children: next };
  v.items = items;
  return true;
}
