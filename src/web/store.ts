// The page's one state holder: frames go through the reducer, local changes through set(); renders are batched.
import { useEffect, useReducer } from "preact/hooks";
import { initialState, reduce, type AppState, type Frame } from "./reducer.js";

let state: AppState = initialState;
const listeners = new Set<() => void>();
let scheduled: "frame" | "later" | null = null;
/** How long an eventBatch may hold the render back (more batches of the same replay usually follow within it). */
const BATCH_HOLD_MS = 1500;

const flush = () => {
  if (!scheduled) return;
  scheduled = null;
  for (const l of listeners) l();
};

/**
 * Renders are batched: a replay paints once per frame, and not at all between its eventBatch frames (`later`)
 * unless they keep coming for BATCH_HOLD_MS; replayComplete or any other change paints at the next frame.
 */
function notify(later = false): void {
  if (scheduled === "frame" || (scheduled === "later" && later)) return;
  scheduled = later ? "later" : "frame";
  if (later) {
    setTimeout(flush, BATCH_HOLD_MS);
    return;
  }
  if (typeof requestAnimationFrame === "function" && document.visibilityState === "visible") requestAnimationFrame(flush);
  setTimeout(flush, 50);
}

export const getState = (): AppState => state;

/** A change that is not a server frame: route, connection state, token, notice. */
export function set(patch: Partial<AppState>): void {
  state = { ...state, ...patch };
  notify();
}

/** Applies a server frame; returns the state before it (to see what changed). */
export function dispatch(frame: Frame): AppState {
  const before = state;
  state = reduce(state, frame);
  if (state !== before) notify(frame.type === "eventBatch");
  return before;
}

export function useAppState(): AppState {
  const [, force] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const listener = () => force(undefined);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return state;
}

// ---- notices --------------------------------------------------------------------------------

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** An informational line that goes away by itself after 5 s (errors stay until dismissed). */
export function inform(text: string): void {
  const notice = { text, tone: "info" as const };
  set({ notice });
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    if (state.notice === notice) set({ notice: null });
  }, 5000);
}

export function fail(e: unknown): void {
  set({ notice: { text: e instanceof Error ? e.message : "Something went wrong.", tone: "error" } });
}

export function dismissNotice(): void {
  set({ notice: null });
}
