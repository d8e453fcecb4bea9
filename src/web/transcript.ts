// A session's view as a pure fold over its events: bubbles, tool cards, permission cards, result lines. No DOM here.
import type { SessionEvent, SessionEventData } from "../protocol/events.js";
import type { SessionInfo } from "../protocol/sessions.js";
import type { SessionState } from "../protocol/common.js";
import { HANDOFF_REASON } from "../protocol/constants.js";
import { initialCursor, snapshotCursor, type SeqCursor } from "./seq.js";
import { applySubagentEvent } from "./subagents.js";

export type PermissionRequest = SessionEventData<"permissionRequest">;
export type PermissionResolved = SessionEventData<"permissionResolved">;
export type StreamComplete = SessionEventData<"streamComplete">;
export type ToolResult = Extract<SessionEventData<"streamToolUse">, { phase: "result" }>;

/** One line of the conversation. `key` is stable (the seq that created it). */
export type Item =
  | { kind: "user"; key: string; seq: number; promptId: string; text: string; images: number }
  | { kind: "assistant"; key: string; seq: number; messageId?: string; text: string; done: boolean; aborted?: boolean }
  /** A tool use; while Claude asks to run it, the same card carries the request (and later its answer). */
  /** `children`: what the subagent of an Agent tool use said and did (its events carry this tool use's id as parentToolUseId). */
  | { kind: "tool"; key: string; seq: number; toolUseId: string; name: string; input: unknown; result?: ToolResult; request?: PermissionRequest; resolved?: PermissionResolved; children?: Item[] }
  | { kind: "permission"; key: string; seq: number; request: PermissionRequest; resolved?: PermissionResolved }
  /** `turnCostUsd`: this turn's own cost (the CLI reports a running total per process). `failed`: the turn's error is shown above. */
  | { kind: "result"; key: string; seq: number; data: StreamComplete; turnCostUsd?: number; errorShown?: boolean }
  /** `stderrTail`: what Claude Code printed before it exited; `again`: the daemon said after it that Claude cannot start (sessionUpdate cannotStart). */
  | { kind: "error"; key: string; seq: number; code: string; message: string; stderrTail?: string; again?: boolean }
  /** `handoff`: the session went on in a terminal (its resume command is offered beside it). */
  | { kind: "notice"; key: string; seq: number; text: string; handoff?: true };

export interface SessionView {
  sessionId: string;
  items: Item[];
  cursor: SeqCursor;
  /**
   * Seqs applied since the view was (re)built; equals lastSeq when it was built from seq 1. The stream events a
   * batched replay leaves out count (they change nothing in the view).
   */
  applied: number;
  state?: SessionState;
  /** Index in items of the assistant bubble still streaming, or -1. */
  open: number;
  /** Prompts sent and not finished, oldest first: the first runs while `state` is active, the rest wait. */
  pendingPrompts: string[];
  /** Sum of the turns' own costs, and the CLI's running total at the last result (it restarts with each process). */
  totalCostUsd: number;
  lastCumulativeCostUsd: number | null;
  /** After a compact boundary until the turn's result: the last answer before it, which is not shown again. */
  compactedText?: string;
  /** Tokens of the conversation Claude read in its last turn (input + cache reads + cache writes): how full the context is. */
  contextTokens: number | null;
  /**
   * A terminal has the conversation (the session was handed to it, or it is only a transcript): what comes is the
   * terminal's, followed from its transcript, read-only here; its prompts are never pending.
   */
  terminal?: boolean;
  /** A transcript the History tab shows, numbered as the transcript (not a session of the daemon's). */
  transcript?: boolean;
}

/** The context window the meter is drawn against (Claude's standard window). */
export const CONTEXT_WINDOW_TOKENS = 200_000;

export function emptyView(sessionId: string, state?: SessionState, transcript = false): SessionView {
  return {
    sessionId,
    items: [],
    cursor: initialCursor(0),
    applied: 0,
    open: -1,
    pendingPrompts: [],
    totalCostUsd: 0,
    lastCumulativeCostUsd: null,
    contextTokens: null,
    ...(state ? { state } : {}),
    ...(transcript ? { terminal: true, transcript: true } : {}),
  };
}

/** The view after a `sessionSnapshot`: older events are gone; what follows the snapshot is applied as it comes. */
export function viewFromSnapshot(info: SessionInfo): SessionView {
  return {
    ...emptyView(info.sessionId, info.state),
    cursor: snapshotCursor(),
    items: [{ kind: "notice", key: "snapshot", seq: 0, text: "Earlier messages of this session are no longer kept by the computer." }],
  };
}

/** Adds the permission cards the server says are still open and the view does not show (after a replay). */
export function withPendingPermissions(view: SessionView, pending: PermissionRequest[]): SessionView {
  const known = new Set(view.items.flatMap((i) => (i.kind === "permission" || (i.kind === "tool" && i.request) ? [i.request!.permissionId] : [])));
  const missing = pending.filter((p) => !known.has(p.permissionId));
  if (missing.length === 0) return view;
  const seq = view.cursor.lastSeq ?? 0;
  const v = draft(view);
  for (const request of missing) addRequest(v, request, `perm-${request.permissionId}`, seq);
  return v;
}

const findLast = (items: Item[], pred: (i: Item) => boolean): number => {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i]!)) return i;
  return -1;
};


/**
 * Adds an item of the running turn. Prompts queued behind it stay below it (and below its result), where
 * they will run: the turn's output is inserted above the trailing queued prompts. Returns the index.
 */
function push(v: SessionView, item: Item): number {
  const queued = queuedPrompts(v);
  let at = v.items.length;
  while (v.state === "active" && at > 0) {
    const prev = v.items[at - 1]!;
    if (prev.kind !== "user" || !queued.has(prev.promptId)) break;
    at--;
  }
  if (at === v.items.length) v.items.push(item);
  else v.items.splice(at, 0, item);
  if (v.open >= at) v.open++;
  return at;
}

/** A permission request joins the card of its tool use when there is one; else it is a card of its own. */
function addRequest(v: SessionView, request: PermissionRequest, key: string, seq: number): void {
  const at = request.toolUseId ? findLast(v.items, (i) => i.kind === "tool" && i.toolUseId === request.toolUseId) : -1;
  const tool = at >= 0 ? v.items[at] : undefined;
  if (tool?.kind === "tool") v.items[at] = { ...tool, request };
  else push(v, { kind: "permission", key, seq, request });
}


/** A copy of the view whose items array may be changed in place (the items themselves are never changed). */
const draft = (view: SessionView): SessionView => ({ ...view, items: view.items.slice() });

/** Applies one event (already sequenced by the caller) and returns the new view; the old one is not changed. */
export function applyEvent(view: SessionView, event: SessionEvent): SessionView {
  return applyEvents(view, [event]);
}

/**
 * Applies events in order (already sequenced) and returns the new view; the old one is not changed. The items
 * array is copied once for all of them: a replay of 10 000 events costs one copy, not one per event.
 */
export function applyEvents(view: SessionView, events: readonly SessionEvent[]): SessionView {
  if (events.length === 0) return view;
  const v = draft(view);
  for (const event of events) applyInPlace(v, event);
  return v;
}

// Changes `v` (a draft) by one event.
function applyInPlace(v: SessionView, event: SessionEvent): void {
  v.applied++;
  const key = `${event.type}-${event.seq}`;
  const seq = event.seq;
  if (applySubagentEvent(v, event)) return;
  switch (event.type) {
    case "userMessage":
      v.items.push({ kind: "user", key, seq, promptId: event.data.promptId, text: event.data.text, images: event.data.images });
      // A terminal's prompt is answered there: no result line of ours ends it.
      if (!v.terminal) v.pendingPrompts = [...v.pendingPrompts, event.data.promptId];
      return;
    case "streamData": {
      const d = event.data;
      const open = v.open >= 0 ? v.items[v.open] : undefined;
      const sameMessage = open?.kind === "assistant" && (d.messageId === undefined || open.messageId === undefined || open.messageId === d.messageId);
      if (v.compactedText !== undefined && v.compactedText !== "") {
        // Deltas of a repeated answer are held back until its message says whether it is the same text.
        if (d.kind === "delta") return;
        if (d.text.trim() === v.compactedText) return;
      }
      if (d.kind === "delta") {
        if (open?.kind === "assistant" && sameMessage) {
          v.items[v.open] = { ...open, text: open.text + d.text };
        } else {
          v.open = push(v, { kind: "assistant", key, seq, ...(d.messageId ? { messageId: d.messageId } : {}), text: d.text, done: false });
        }
        return;
      }
      // A completed message: its text is authoritative over the deltas. An empty one (tool use only) adds nothing.
      if (open?.kind === "assistant" && sameMessage) {
        v.items[v.open] = { ...open, text: d.text || open.text, done: true, ...(d.aborted ? { aborted: true } : {}) };
        v.open = -1;
      } else if (d.text) {
        push(v, { kind: "assistant", key, seq, ...(d.messageId ? { messageId: d.messageId } : {}), text: d.text, done: true, ...(d.aborted ? { aborted: true } : {}) });
        v.open = -1;
      }
      return;
    }
    case "streamToolUse": {
      const d = event.data;
      closeOpen(v);
      if (d.phase === "use") {
        push(v, { kind: "tool", key, seq, toolUseId: d.toolUseId, name: d.name, input: d.input });
        return;
      }
      const at = findLast(v.items, (i) => i.kind === "tool" && i.toolUseId === d.toolUseId);
      const tool = at >= 0 ? v.items[at] : undefined;
      if (tool?.kind === "tool") v.items[at] = { ...tool, result: d };
      else push(v, { kind: "tool", key, seq, toolUseId: d.toolUseId, name: "Tool", input: undefined, result: d });
      return;
    }
    case "permissionRequest": {
      const id = event.data.permissionId;
      const at = findLast(v.items, (i) => (i.kind === "permission" || i.kind === "tool") && i.request?.permissionId === id);
      if (at < 0) addRequest(v, event.data, key, seq);
      return;
    }
    case "permissionResolved": {
      const id = event.data.permissionId;
      const at = findLast(v.items, (i) => (i.kind === "permission" || i.kind === "tool") && i.request?.permissionId === id);
      const card = at >= 0 ? v.items[at] : undefined;
      if (card?.kind === "permission" || card?.kind === "tool") v.items[at] = { ...card, resolved: event.data };
      return;
    }
    case "streamComplete": {
      closeOpen(v);
      const d = event.data;
      const running = new Set(d.promptIds);
      // The CLI's costUsd is the process's running total: the turn's own cost is the difference (a new process starts again at 0).
      let turnCostUsd: number | undefined;
      if (d.costUsd !== undefined) {
        const prev = v.lastCumulativeCostUsd;
        turnCostUsd = prev !== null && d.costUsd >= prev ? d.costUsd - prev : d.costUsd;
        v.lastCumulativeCostUsd = d.costUsd;
        v.totalCostUsd += turnCostUsd;
      }
      const lastUser = findLast(v.items, (i) => i.kind === "user" && running.has(i.promptId));
      const errorShown = d.isError && findLast(v.items, (i) => i.kind === "error") > lastUser;
      push(v, { kind: "result", key, seq, data: d, ...(turnCostUsd !== undefined ? { turnCostUsd } : {}), ...(errorShown ? { errorShown } : {}) });
      v.pendingPrompts = v.pendingPrompts.filter((p) => !running.has(p));
      delete v.compactedText;
      const u = d.usage;
      if (u) v.contextTokens = (u.input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
      return;
    }
    case "sessionUpdate": {
      const d = event.data;
      v.state = d.state;
      if (d.droppedPromptIds?.length) {
        const dropped = new Set(d.droppedPromptIds);
        v.pendingPrompts = v.pendingPrompts.filter((p) => !dropped.has(p));
        const n = d.droppedPromptIds.length;
        v.items.push({ kind: "notice", key, seq, text: `${n} queued prompt${n === 1 ? " was" : "s were"} dropped.` });
      }
      // Reconcile with the server's queue: while active, one prompt runs and queueLength wait.
      if (d.state !== "active") {
        if (d.queueLength === 0) v.pendingPrompts = [];
        closeOpen(v);
      } else if (v.pendingPrompts.length > d.queueLength + 1) {
        v.pendingPrompts = v.pendingPrompts.slice(-(d.queueLength + 1));
      }
      // The daemon says Claude cannot start (docs/PROTOCOL.md "Cannot start"): the exit just reported is marked so.
      if (d.cannotStart) {
        const at = findLast(v.items, (i) => i.kind === "error" && i.code === "CLAUDE_EXITED");
        const item = v.items[at];
        if (item?.kind === "error" && !item.again) v.items[at] = { ...item, again: true };
      }
      if (d.state === "closed" && d.reason === HANDOFF_REASON) {
        v.terminal = true;
        v.items.push({ kind: "notice", key, seq, text: "Continued in the terminal", handoff: true });
      } else if (d.state === "closed" && d.previousState !== "closed") {
        v.items.push({ kind: "notice", key, seq, text: "This session is closed." });
      } else if (d.state !== "closed") delete v.terminal;
      return;
    }
    case "sessionError": {
      const { code, message, details } = event.data;
      const reason = typeof details.reason === "string" ? details.reason.trim() : "";
      const stderrTail = typeof details.stderrTail === "string" && details.stderrTail.trim() ? details.stderrTail.trim() : undefined;
      // An API error also arrives as an assistant message with the same text: one block says it, not two.
      if (reason) {
        const lastUser = findLast(v.items, (i) => i.kind === "user");
        const dup = findLast(v.items, (i) => i.kind === "assistant" && i.text.trim() === reason);
        if (dup > lastUser) {
          closeOpen(v);
          v.items.splice(dup, 1);
          if (v.open > dup) v.open--;
        }
      }
      push(v, { kind: "error", key, seq, code, message, ...(stderrTail ? { stderrTail } : {}) });
      return;
    }
    case "warning":
      push(v, { kind: "notice", key, seq, text: event.data.message });
      return;
    case "claudeEvent": {
      const d = event.data;
      if (d.claudeType !== "system" || d.subtype !== "compact_boundary") return;
      // /compact: say so; the answer Claude had given before is not a new reply (it may come again in this turn).
      closeOpen(v);
      const last = findLast(v.items, (i) => i.kind === "assistant");
      const before = v.items[last];
      v.compactedText = before?.kind === "assistant" ? before.text.trim() : "";
      push(v, { kind: "notice", key, seq, text: "Conversation compacted: Claude goes on from a summary of it." });
      return;
    }
  }
}

function closeOpen(v: SessionView): void {
  const open = v.open >= 0 ? v.items[v.open] : undefined;
  if (open?.kind === "assistant") v.items[v.open] = { ...open, done: true };
  v.open = -1;
}

/** Prompts waiting behind the running one. */
export function queuedPrompts(view: SessionView): Set<string> {
  return new Set(view.state === "active" ? view.pendingPrompts.slice(1) : view.pendingPrompts);
}

/** Claude is waiting for an answer: a permission request (tool, question, plan) is open. */
export const waitingForYou = (view: SessionView): boolean =>
  view.items.some((i) => (i.kind === "permission" || (i.kind === "tool" && i.request)) && !i.resolved);

/** True while a turn runs (interrupt is offered). */
export const isRunning = (view: SessionView): boolean => view.state === "active";

/** Builds a view from a complete list of events (REST history); used by tests to compare with the page. */
export function buildView(sessionId: string, events: SessionEvent[]): SessionView {
  return applyEvents(emptyView(sessionId), events);
}
