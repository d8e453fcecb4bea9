// A byte budget for restored event logs read back from disk: the least recently used are dropped from memory (they stay on disk).
import type { EventLog } from "./event-log.js";

/** Bytes of restored logs kept in memory once read, across all sessions. */
export const RESTORED_LOG_CACHE_BYTES = 32 * 1024 * 1024;

export class LogCache {
  // Insertion order is use order: the first is the least recently used.
  private readonly logs = new Set<EventLog>();

  constructor(readonly maxBytes = RESTORED_LOG_CACHE_BYTES) {}

  /** `log` was just read from disk or read again: it is the most recent; others may be dropped to fit. */
  touch(log: EventLog): void {
    this.logs.delete(log);
    this.logs.add(log);
    let total = 0;
    for (const l of this.logs) total += l.residentBytes;
    for (const l of this.logs) {
      if (total <= this.maxBytes) break;
      if (l === log) continue;
      const bytes = l.residentBytes;
      if (l.unload()) {
        total -= bytes;
        this.logs.delete(l);
      }
    }
  }

  /** `log` took new events: it is live now, no longer the cache's to drop. */
  forget(log: EventLog): void {
    this.logs.delete(log);
  }

  /** Logs read from disk and still in memory. */
  get size(): number {
    return this.logs.size;
  }
}
