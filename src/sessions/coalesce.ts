// Consecutive text deltas of one content block become one event per flush interval: the first of a burst goes at once, the rest at most every 12 ms or 4 KiB.
import type { NewSessionEvent } from "../protocol/events.js";

/** At most one coalesced delta per this many ms while a block streams. */
export const DELTA_FLUSH_MS = 12;
/** A pending delta this long (characters) goes at once. */
export const DELTA_MAX_CHARS = 4096;

export interface DeltaData {
  kind: "delta";
  text: string;
  messageId?: string;
  index?: number;
}

export interface DeltaCoalescerOptions {
  /** Appends one event to the session's log. */
  emit: (event: NewSessionEvent) => void;
  flushMs?: number;
  maxChars?: number;
}

export class DeltaCoalescer {
  private pending: DeltaData | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly flushMs: number;
  private readonly maxChars: number;

  constructor(private readonly options: DeltaCoalescerOptions) {
    this.flushMs = options.flushMs ?? DELTA_FLUSH_MS;
    this.maxChars = options.maxChars ?? DELTA_MAX_CHARS;
  }

  /** One text delta from Claude. */
  push(delta: DeltaData): void {
    const p = this.pending;
    if (p && (p.messageId !== delta.messageId || p.index !== delta.index)) this.flush();
    if (this.flushMs <= 0) return this.options.emit({ type: "streamData", data: delta });
    if (this.timer === null) {
      // Quiet until now: this delta goes at once, and the interval starts.
      this.options.emit({ type: "streamData", data: delta });
      this.arm();
      return;
    }
    if (this.pending) this.pending.text += delta.text;
    else this.pending = { ...delta };
    if (this.pending.text.length >= this.maxChars) this.flush();
  }

  /** Emits what is pending; called before any other event of the session so order is kept. */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.options.emit({ type: "streamData", data: p });
  }

  /** Flushes and stops the timer. */
  close(): void {
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.pending) return;
      this.flush();
      this.arm();
    }, this.flushMs);
    this.timer.unref?.();
  }
}
