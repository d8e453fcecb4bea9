// A subscribe's replay on the wire: one frame per event, or (subscribe { batch: true }) eventBatch frames of many events.
import { REPLAY_BATCH_BYTES } from "../../protocol/index.js";

/**
 * Sends `records` (pre-serialised events, in seq order) through `send`. Batched, consecutive records are joined into
 * `eventBatch` frames of at most `maxBytes` of event JSON each (a larger single event is a batch of its own).
 */
export function sendReplay(
  records: readonly { json: string }[],
  options: { batch: boolean; sessionId: string; requestId?: string; send(json: string): void; maxBytes?: number },
): void {
  const { send } = options;
  if (!options.batch) {
    for (const r of records) send(r.json);
    return;
  }
  const maxBytes = options.maxBytes ?? REPLAY_BATCH_BYTES;
  const head = `{"type":"eventBatch",${options.requestId !== undefined ? `"requestId":${JSON.stringify(options.requestId)},` : ""}"sessionId":${JSON.stringify(options.sessionId)},"data":{"events":[`;
  let parts: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (parts.length === 0) return;
    send(`${head}${parts.join(",")}]}}`);
    parts = [];
    bytes = 0;
  };
  for (const r of records) {
    // Each event's JSON and its comma.
    if (bytes > 0 && bytes + r.json.length + 1 > maxBytes) flush();
    parts.push(r.json);
    bytes += r.json.length + 1;
  }
  flush();
}
