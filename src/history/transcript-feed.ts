// One transcript as numbered session events: read to its last complete line, then followed while it grows (watch + poll).
import { watch, type FSWatcher } from "node:fs";
import type { Logger } from "pino";
import type { SessionEvent } from "../protocol/events.js";
import { readLinesFrom } from "./line-reader.js";
import { parseTranscriptLine } from "./transcript.js";
import { createTranscriptMapper } from "./transcript-events.js";

/** An event with its JSON, serialised once (the same shape as a session log record). */
export interface FeedRecord {
  event: SessionEvent;
  json: string;
}

export interface TranscriptFeed {
  readonly sessionId: string;
  readonly file: string;
  /** Reads what was appended since the last call (serialised; concurrent calls share one read). */
  refresh(): Promise<void>;
  /** Events with seq > after, at most limit. */
  after(after: number, limit?: number): { records: FeedRecord[]; lastSeq: number };
  lastSeq(): number;
  /** Live records as the file grows; starts the watch on the first listener and stops it after the last. */
  subscribe(listener: (record: FeedRecord) => void): () => void;
  listeners(): number;
  close(): void;
}

export interface TranscriptFeedOptions {
  sessionId: string;
  file: string;
  logger: Logger;
  /** Poll interval while watched, in ms (fs.watch misses events on some file systems). Default 1000. */
  pollMs?: number;
}

export function createTranscriptFeed(options: TranscriptFeedOptions): TranscriptFeed {
  const { sessionId, file } = options;
  const pollMs = options.pollMs ?? 1000;
  const records: FeedRecord[] = [];
  const mapper = createTranscriptMapper();
  const listeners = new Set<(record: FeedRecord) => void>();
  let offset = 0;
  let badLines = 0;
  let running: Promise<void> | undefined;
  let again = false;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;

  const readNew = async (): Promise<void> => {
    offset = await readLinesFrom(file, offset, (line) => {
      const r = parseTranscriptLine(line);
      if (!r) {
        if (line.trim() !== "" && badLines++ === 0) options.logger.warn({ sessionId, file }, "transcript line is not JSON; skipped");
        return;
      }
      if (r.sessionId !== undefined && r.sessionId !== sessionId) return;
      for (const m of mapper.map(r)) {
        const event = { seq: records.length + 1, sessionId, ts: m.ts, ...m.event } as SessionEvent;
        const rec = { event, json: JSON.stringify(event) };
        records.push(rec);
        for (const l of listeners) l(rec);
      }
    });
  };

  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await readNew();
        } while (again);
      } catch (err) {
        options.logger.warn({ err, sessionId }, "transcript could not be read");
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const startWatch = () => {
    try {
      watcher = watch(file, { persistent: false }, () => void refresh());
      watcher.on("error", () => undefined);
    } catch {
      watcher = undefined;
    }
    timer = setInterval(() => void refresh(), pollMs);
    timer.unref();
  };
  const stopWatch = () => {
    watcher?.close();
    watcher = undefined;
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    sessionId,
    file,
    refresh,
    after(after, limit = Number.MAX_SAFE_INTEGER) {
      return { records: records.slice(Math.max(0, after), Math.max(0, after) + limit), lastSeq: records.length };
    },
    lastSeq: () => records.length,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) startWatch();
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) stopWatch();
      };
    },
    listeners: () => listeners.size,
    close() {
      listeners.clear();
      stopWatch();
    },
  };
}
