// A subscribe's replay on the wire: one frame per event, or (subscribe { batch: true }) eventBatch frames of many events.
import { REPLAY_BATCH_BYTES } from "../../protocol/index.js";
import type { LogRecord } from "../../sessions/index.js";

/** What a subscribe asked of its replay. */
export interface ReplayHow {
  batch?: boolean;
  omitStreamEvents?: boolean;
}

export interface ReplayOptions {
  batch: boolean;
  /** With batch: Claude's raw stream events (claudeEvent of claudeType stream_event) are left out. */
  omitStreamEvents?: boolean;
  sessionId: string;
  requestId?: string;
  send(json: string): void;
  /** Event JSON per batch at most (default REPLAY_BATCH_BYTES). */
  maxBytes?: number;
}

// The session log keeps each record's seq beside its JSON; other records (history feeds) are asked.
const seqOf = (r: LogRecord): number => ((r as { seq?: unknown }).seq as number | undefined) ?? r.event.seq;

// The session log writes the envelope and then the data with claudeType first: most records are told by their
// JSON's start; another claudeEvent (or one written in another key order) is parsed to look at its claudeType.
const STREAM_EVENT = '"type":"claudeEvent","data":{"claudeType":"stream_event"';
const isStreamEvent = (r: LogRecord): boolean => {
  const at = r.json.indexOf('"type":"claudeEvent"');
  if (at < 0 || at > 200) return false;
  if (r.json.startsWith(STREAM_EVENT, at)) return true;
  const e = r.event;
  return e.type === "claudeEvent" && e.data.claudeType === "stream_event";
};

/**
 * Sends `records` (pre-serialised events, in seq order) through `send`. Batched, consecutive records become
 * `eventBatch` frames naming the seq range they cover, with at most `maxBytes` of event JSON each (a larger single
 * event is a batch of its own); left-out stream events still count in the range.
 */
export function sendReplay(records: readonly LogRecord[], options: ReplayOptions): void {
  const { send } = options;
  if (!options.batch) {
    for (const r of records) send(r.json);
    return;
  }
  const maxBytes = options.maxBytes ?? REPLAY_BATCH_BYTES;
  const head = `{"type":"eventBatch",${options.requestId !== undefined ? `"requestId":${JSON.stringify(options.requestId)},` : ""}"sessionId":${JSON.stringify(options.sessionId)},"data":{`;
  let parts: string[] = [];
  let bytes = 0;
  let fromSeq = 0;
  let toSeq = 0;
  const flush = () => {
    if (fromSeq === 0) return;
    send(`${head}"fromSeq":${fromSeq},"toSeq":${toSeq},"events":[${parts.join(",")}]}}`);
    parts = [];
    bytes = 0;
    fromSeq = 0;
  };
  for (const r of records) {
    const seq = seqOf(r);
    if (options.omitStreamEvents && isStreamEvent(r)) {
      if (fromSeq === 0) fromSeq = seq;
      toSeq = seq;
      continue;
    }
    // Each event's JSON and its comma.
    if (bytes > 0 && bytes + r.json.length + 1 > maxBytes) flush();
    if (fromSeq === 0) fromSeq = seq;
    toSeq = seq;
    parts.push(r.json);
    bytes += r.json.length + 1;
  }
  flush();
}
