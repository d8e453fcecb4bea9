// A session's append-only event log: seq numbers from 1, never reused, bounded memory, live subscribers; it does no I/O itself.
import type { NewSessionEvent, SessionEvent } from "../protocol/events.js";
import type { LogCache } from "./log-cache.js";

/** One logged event and its JSON, serialised once on append so transports send it as is. */
export interface LogRecord {
  readonly event: SessionEvent;
  /** `JSON.stringify(event)`, computed once. */
  readonly json: string;
}

export interface EventLogLimits {
  /** Events always kept in memory. Default 10 000. */
  maxEvents?: number;
  /** Bytes (estimated by JSON length) always kept in memory. Default 16 MiB. */
  maxBytes?: number;
  /** Consecutive text deltas of one block are coalesced for up to this many ms (0: never). Default 12; used by the session. */
  deltaFlushMs?: number;
}

export interface EventLogOptions extends EventLogLimits {
  sessionId: string;
  /** Clock for `ts`, ms since epoch. Default Date.now. */
  now?: () => number;
  /** Called synchronously with each record before listeners see it (e.g. a JSONL writer). */
  persist?: (record: LogRecord) => void;
  /** Where a throwing persist hook or listener is reported, and the log goes on. Default: rethrow. */
  onError?: (error: unknown, where: "persist" | "listener") => void;
  /**
   * A restored session's log on disk: nothing is read until the log is asked for records (or appended to);
   * then `read()` fills it, within the cache's byte budget.
   */
  source?: { lastSeq: number; read: () => readonly LogRecord[]; cache?: LogCache };
}

export interface AfterResult {
  records: LogRecord[];
  /** True when events after `seq` were already dropped from memory: the reader missed some. */
  gap: boolean;
  /** Oldest seq still in memory (lastSeq + 1 when the log is empty). */
  firstSeq: number;
  lastSeq: number;
}

/**
 * What the log keeps of an event: its JSON and seq. The object is parsed again when asked for (replay
 * and history only need the JSON), which halves what a session's 16 MiB of retained events costs in heap.
 */
class KeptRecord implements LogRecord {
  constructor(
    readonly seq: number,
    readonly json: string,
  ) {}

  get event(): SessionEvent {
    return JSON.parse(this.json) as SessionEvent;
  }
}

export const DEFAULT_MAX_EVENTS = 10_000;
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export type LogListener = (record: LogRecord) => void;

export class EventLog {
  readonly sessionId: string;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly persist: ((record: LogRecord) => void) | undefined;
  private readonly onError: (error: unknown, where: "persist" | "listener") => void;
  // Records live in items[head..]; dropping advances head and compacts now and then (cheap shift).
  private items: KeptRecord[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  // Set when a restored log has missing seqs: lookups then search instead of counting.
  private holes = false;
  private readonly listeners = new Set<LogListener>();
  // The envelope prefix up to the seq is the same for every event of this session.
  private readonly sessionIdJson: string;
  private readonly source: EventLogOptions["source"];
  // False while a restored log's records are on disk only.
  private loaded = true;
  private appendsSinceLoad = 0;

  constructor(options: EventLogOptions) {
    this.sessionId = options.sessionId;
    this.maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = options.now ?? Date.now;
    this.persist = options.persist;
    this.onError = options.onError ?? ((error) => {
      throw error;
    });
    this.sessionIdJson = JSON.stringify(options.sessionId);
    this.source = options.source;
    if (this.source) {
      this.seq = this.source.lastSeq;
      this.loaded = false;
    }
  }

  /** True when the records are in memory (a restored log is not until asked). */
  get resident(): boolean {
    return this.loaded;
  }

  /** Bytes of records in memory now, without reading anything from disk. */
  get residentBytes(): number {
    return this.bytes;
  }

  /** Drops a restored log's records from memory (they stay on disk); false if it has taken events since it was read. */
  unload(): boolean {
    if (!this.source || !this.loaded || this.appendsSinceLoad > 0) return false;
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.holes = false;
    this.loaded = false;
    return true;
  }

  // A restored log reads its records from disk the first time they are needed.
  private ensure(): void {
    if (this.loaded) return;
    this.loaded = true;
    const lastSeq = this.seq;
    this.seq = 0;
    this.fill(this.source!.read(), lastSeq);
  }

  // A read of a restored log: it becomes the most recently used of the cache.
  private used(): void {
    if (this.source?.cache && this.appendsSinceLoad === 0) this.source.cache.touch(this);
  }

  /** Highest seq appended so far (0 when empty). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Oldest seq still in memory (lastSeq + 1 when empty). */
  get firstSeq(): number {
    this.ensure();
    return this.first();
  }

  private first(): number {
    const first = this.items[this.head];
    return first ? first.seq : this.seq + 1;
  }

  /** Number of records in memory. */
  get size(): number {
    this.ensure();
    return this.items.length - this.head;
  }

  /** Estimated bytes in memory (sum of JSON lengths). */
  get sizeBytes(): number {
    this.ensure();
    return this.bytes;
  }

  /** Numbers, stamps, stores and publishes one event. */
  append(input: NewSessionEvent): LogRecord {
    this.ensure();
    // From its first new event on, a restored log stays in memory like any live one.
    if (this.appendsSinceLoad++ === 0) this.source?.cache?.forget(this);
    // Serialised before a seq is taken: data that cannot be serialised throws here and leaves no gap.
    const dataJson = JSON.stringify(input.data);
    const seq = ++this.seq;
    const ts = this.now();
    const event = { seq, sessionId: this.sessionId, ts, type: input.type, data: input.data } as SessionEvent;
    // Same key order as the event object, so json === JSON.stringify(event); data is serialised once.
    const json = `{"seq":${seq},"sessionId":${this.sessionIdJson},"ts":${ts},"type":"${input.type}","data":${dataJson}}`;
    // Persist hooks and listeners get the object; the log keeps the JSON.
    const record: LogRecord = { event, json };
    this.items.push(new KeptRecord(seq, json));
    this.bytes += json.length;
    this.trim();
    if (this.persist) {
      try {
        this.persist(record);
      } catch (error) {
        this.onError(error, "persist");
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        this.onError(error, "listener");
      }
    }
    return record;
  }

  /**
   * Fills an empty log with records read back from disk, in increasing seq order. A restored log may have
   * holes (events that never reached a full disk); `lastSeq` (the highest seq ever issued, from the meta)
   * may be above the last record, so no seq a client already holds is issued again. Nothing is persisted or published.
   */
  load(records: readonly LogRecord[], lastSeq = 0): void {
    if (this.seq !== 0 || this.source) throw new Error("EventLog.load: the log is not empty");
    this.fill(records, lastSeq);
  }

  private fill(records: readonly LogRecord[], lastSeq: number): void {
    for (const record of records) {
      if (record.event.seq <= this.seq) throw new Error(`EventLog.load: seq ${record.event.seq} does not follow ${this.seq}`);
      if (record.event.seq !== this.seq + 1) this.holes = true;
      this.seq = record.event.seq;
      this.items.push(new KeptRecord(record.event.seq, record.json));
      this.bytes += record.json.length;
      this.trim();
    }
    if (lastSeq > this.seq) {
      this.seq = lastSeq;
      this.holes = true;
    }
  }

  /** Records with seq > `seq`, oldest first, at most `limit`. */
  after(afterSeq: number, limit = Number.POSITIVE_INFINITY): AfterResult {
    this.ensure();
    this.used();
    const seq = Math.max(0, Math.floor(afterSeq));
    const firstSeq = this.first();
    const start = this.indexOf(Math.max(seq + 1, firstSeq));
    const end = Math.min(this.items.length, start + Math.max(0, limit));
    const records = start < end ? this.items.slice(start, end) : [];
    let gap = seq + 1 < firstSeq;
    // A restored log with holes: the reader misses what is not there.
    if (!gap && this.holes) {
      const first = records[0];
      const last = records.at(-1);
      gap = first && last ? first.seq !== seq + 1 || last.seq - first.seq + 1 !== records.length : seq < this.seq && end >= this.items.length;
    }
    return { records, gap, firstSeq, lastSeq: this.seq };
  }

  /** The record with this seq, if still in memory. */
  get(seq: number): LogRecord | undefined {
    this.ensure();
    this.used();
    if (seq < this.first() || seq > this.seq) return undefined;
    const item = this.items[this.indexOf(seq)];
    return item?.seq === seq ? item : undefined;
  }

  /** Live records from now on; returns an unsubscribe function. */
  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // Index in items of the first record with seq >= `seq` (items.length when none).
  private indexOf(seq: number): number {
    if (!this.holes) return Math.min(this.items.length, this.head + Math.max(0, seq - this.first()));
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // Drop the oldest only while both limits stay met after the drop: at least maxEvents and maxBytes remain.
  private trim(): void {
    for (;;) {
      const dropped = this.items[this.head];
      if (!dropped || this.items.length - this.head <= this.maxEvents || this.bytes - dropped.json.length < this.maxBytes) break;
      this.bytes -= dropped.json.length;
      this.items[this.head] = undefined as unknown as KeptRecord;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
