// Which sessions a client shows right now: only sockets that said `visible: true` count; no HTTP, no ws here.
import type { PresenceData } from "../protocol/index.js";

export interface Presence {
  /** A socket reported its visibility (the last report of a socket wins). */
  set(connectionId: string, data: PresenceData): void;
  /** The socket closed: it no longer shows anything. */
  drop(connectionId: string): void;
  /** True while at least one socket reported `visible: true` on this session. */
  isVisible(sessionId: string): boolean;
  /** Called with a session id when its last visible socket hides it or goes away. */
  onHidden(listener: (sessionId: string) => void): () => void;
}

export function createPresence(): Presence {
  const shown = new Map<string, string>();
  const listeners = new Set<(sessionId: string) => void>();
  const isVisible = (sessionId: string) => {
    for (const s of shown.values()) if (s === sessionId) return true;
    return false;
  };
  const forget = (connectionId: string) => {
    const before = shown.get(connectionId);
    shown.delete(connectionId);
    return before;
  };
  const tell = (sessionId: string | undefined) => {
    if (sessionId && !isVisible(sessionId)) for (const l of listeners) l(sessionId);
  };
  return {
    set(connectionId, data) {
      const before = forget(connectionId);
      if (data.visible && data.sessionId) shown.set(connectionId, data.sessionId);
      if (before !== shown.get(connectionId)) tell(before);
    },
    drop(connectionId) {
      tell(forget(connectionId));
    },
    isVisible,
    onHidden(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
