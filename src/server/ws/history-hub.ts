// WebSocket subscriptions to Claude Code transcripts: replay by seq, then each new record as the terminal writes it.
import type { History } from "../../history/index.js";
import type { Connection } from "./connection.js";
import { sendReplay, type ReplayHow } from "./replay.js";

export interface HistoryHub {
  subscribe(conn: Connection, sessionId: string, lastSeq: number, requestId?: string, how?: ReplayHow): Promise<void>;
  unsubscribe(conn: Connection, sessionId: string): boolean;
  onDisconnect(conn: Connection): void;
  close(): void;
}

const KEY = "historySubscriptions";
const subsOf = (conn: Connection): Map<string, () => void> => {
  let m = conn.state.get(KEY) as Map<string, () => void> | undefined;
  if (!m) conn.state.set(KEY, (m = new Map()));
  return m;
};

export function createHistoryHub(history: History): HistoryHub {
  const all = new Set<Connection>();
  const unsubscribe = (conn: Connection, sessionId: string): boolean => {
    const subs = subsOf(conn);
    const stop = subs.get(sessionId);
    stop?.();
    subs.delete(sessionId);
    return stop !== undefined;
  };
  return {
    async subscribe(conn, sessionId, lastSeq, requestId, how = {}) {
      const feed = await history.feed(sessionId);
      unsubscribe(conn, feed.sessionId);
      // Replay and attach in one synchronous step: the feed only appends in a later tick, so nothing slips between.
      const total = feed.lastSeq();
      const gap = lastSeq > total;
      const { records } = feed.after(gap ? 0 : lastSeq);
      sendReplay(records, { batch: how.batch ?? false, omitStreamEvents: how.omitStreamEvents ?? false, sessionId: feed.sessionId, requestId, send: (json) => conn.sendRaw(json) });
      conn.send({
        type: "replayComplete",
        requestId,
        sessionId: feed.sessionId,
        data: { fromSeq: records[0]?.event.seq ?? total + 1, toSeq: total, gap, pendingPermissions: [] },
      });
      subsOf(conn).set(feed.sessionId, feed.subscribe((r) => conn.sendRaw(r.json)));
      all.add(conn);
    },
    unsubscribe,
    onDisconnect(conn) {
      for (const id of [...subsOf(conn).keys()]) unsubscribe(conn, id);
      all.delete(conn);
    },
    close() {
      for (const c of all) for (const id of [...subsOf(c).keys()]) unsubscribe(c, id);
      all.clear();
    },
  };
}
