// The pure rules of the client's event order: apply strictly by seq, drop duplicates, resubscribe on a gap; backoff.

/** Where a session's view stands in its event log. */
export interface SeqCursor {
  /** Highest seq applied; null right after a snapshot, when the next event becomes the new base. */
  lastSeq: number | null;
  /** A resubscribe is in flight: later gaps are dropped (its replay fills them) until replayComplete. */
  resyncing: boolean;
}

/**
 * - `apply`: the next event in order (or the first after a snapshot).
 * - `duplicate`: already applied (seq <= lastSeq); ignore it.
 * - `gap`: events are missing; resubscribe from `lastSeq` and drop this one.
 * - `drop`: a gap while a resubscribe is already in flight; its replay will bring this event again.
 */
export type SeqAction = "apply" | "duplicate" | "gap" | "drop";

export const initialCursor = (lastSeq = 0): SeqCursor => ({ lastSeq, resyncing: false });

export function sequence(cursor: SeqCursor, seq: number): { action: SeqAction; cursor: SeqCursor } {
  if (cursor.lastSeq === null) return { action: "apply", cursor: { lastSeq: seq, resyncing: cursor.resyncing } };
  if (seq <= cursor.lastSeq) return { action: "duplicate", cursor };
  if (seq === cursor.lastSeq + 1) return { action: "apply", cursor: { lastSeq: seq, resyncing: cursor.resyncing } };
  if (cursor.resyncing) return { action: "drop", cursor };
  return { action: "gap", cursor: { lastSeq: cursor.lastSeq, resyncing: true } };
}

/** After `replayComplete`: the resubscribe is done. */
export const replayDone = (cursor: SeqCursor): SeqCursor => ({ lastSeq: cursor.lastSeq, resyncing: false });

/** After `sessionSnapshot` (gap: true): the view is rebuilt and the next event is taken as it comes. */
export const snapshotCursor = (): SeqCursor => ({ lastSeq: null, resyncing: true });

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … capped at 10 s, each scaled by 0.5–1. */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 500, capMs = 10_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
