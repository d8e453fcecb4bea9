// WebSocket subscriptions to Claude Code transcripts: replay by seq, then each new record as the terminal writes it.
import type { History } from "../../history/index.js";
import type { FeedRecord } from "../../history/transcript-feed.js";
import type { LogRecord } from "../../sessions/index.js";
import type { Connection } from "./connection.js";
import { sendReplay, type ReplayHow } from "./replay.js";

/** A session of ours handed to a terminal: its log, and where the transcript stood when the daemon let go. */
export interface HandedOff {
  sessionId: string;
  /** The session's log (closed: nothing is appended to it until it is resumed). */
  log: { readonly lastSeq: number; after(seq: number): { records: LogRecord[]; gap: boolean } };
  /** transcriptSeq of the closing sessionUpdate. */
  transcriptSeq: number;
}

export interface HistoryHub {
  subscribe(conn: Connection, sessionId: string, lastSeq: number, requestId?: string, how?: ReplayHow): Promise<void>;
  /**
   * Follows a session of ours handed to a terminal in the session's own numbering: its log, then each transcript
   * event after `transcriptSeq` numbered on from the log's last seq (the seqs they get when imported on resume).
   */
  followHandedOff(conn: Connection, handed: HandedOff, lastSeq: number, requestId?: string, how?: ReplayHow): Promise<void>;
  /** The connections following `sessionId` as handed off; their follow is stopped (the session runs here again). */
  takeHandedOff(sessionId: string): Connection[];
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

/** A transcript record renumbered into a handed-off session's seq space. */
const renumber = (r: FeedRecord, seq: number): LogRecord => {
  const event = { ...r.event, seq };
  return { event, json: JSON.stringify(event) };
};

export function createHistoryHub(history: History): HistoryHub {
  const all = new Set<Connection>();
  const handedOff = new Map<string, Set<Connection>>();
  const unsubscribe = (conn: Connection, sessionId: string): boolean => {
    const subs = subsOf(conn);
    const stop = subs.get(sessionId);
    stop?.();
    subs.delete(sessionId);
    handedOff.get(sessionId)?.delete(conn);
    if (handedOff.get(sessionId)?.size === 0) handedOff.delete(sessionId);
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
    async followHandedOff(conn, handed, lastSeq, requestId, how = {}) {
      const { sessionId, log, transcriptSeq: mark } = handed;
      const feed = await history.feed(sessionId);
      unsubscribe(conn, sessionId);
      const base = log.lastSeq;
      const seqOf = (r: FeedRecord) => base + (r.event.seq - mark);
      const total = base + Math.max(0, feed.lastSeq() - mark);
      const gap = lastSeq > total;
      const from = gap ? 0 : lastSeq;
      const own = from < base ? log.after(from) : { records: [], gap: false };
      const terminal = feed.after(mark + Math.max(0, from - base)).records.map((r) => renumber(r, seqOf(r)));
      const records = [...own.records, ...terminal];
      sendReplay(records, { batch: how.batch ?? false, omitStreamEvents: how.omitStreamEvents ?? false, sessionId, requestId, send: (json) => conn.sendRaw(json) });
      conn.send({
        type: "replayComplete",
        requestId,
        sessionId,
        data: { fromSeq: records[0]?.event.seq ?? total + 1, toSeq: total, gap: gap || own.gap, pendingPermissions: [] },
      });
      subsOf(conn).set(sessionId, feed.subscribe((r) => conn.sendRaw(renumber(r, seqOf(r)).json)));
      let set = handedOff.get(sessionId);
      if (!set) handedOff.set(sessionId, (set = new Set()));
      set.add(conn);
      all.add(conn);
    },
    takeHandedOff(sessionId) {
      const conns = [...(handedOff.get(sessionId) ?? [])];
      for (const c of conns) unsubscribe(c, sessionId);
      return conns;
    },
    unsubscribe,
    onDisconnect(conn) {
      for (const id of [...subsOf(conn).keys()]) unsubscribe(conn, id);
      all.delete(conn);
    },
    close() {
      for (const c of all) for (const id of [...subsOf(c).keys()]) unsubscribe(c, id);
      all.clear();
      handedOff.clear();
    },
  };
}
