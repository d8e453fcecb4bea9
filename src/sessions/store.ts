// Sessions on disk: an append-only JSONL event file and a small meta file (session-meta.ts) per session, under <config dir>/sessions.
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { SessionIdSchema } from "../protocol/common.js";
import { diskUsage, pruneToBudget, type DiskUsage } from "./disk-budget.js";
import type { LogRecord } from "./event-log.js";
import { RestoreScan, restoredStateFrom, type RestoredState } from "./restore.js";
import { META, readMetaFile, writeMeta, type SessionMeta } from "./session-meta.js";
import { parseEventLines, readFrom } from "./session-file.js";

export { SessionMetaSchema, type SessionMeta } from "./session-meta.js";

export interface PersistedSession {
  meta: SessionMeta;
  /** What the session was: the meta's summary and the events written after it (the whole log only without one). */
  restored: RestoredState;
  /** The highest seq ever issued: the meta's, or the last record's when higher. */
  lastSeq: number;
  /** Reads every event from disk, in increasing seq order (holes where a write failed); nothing is kept. */
  read(): LogRecord[];
}

export interface SessionStoreOptions {
  dir: string;
  logger: Logger;
  /** Closed sessions older than this are deleted on load. Default 7 days. */
  retentionMs?: number;
  /** Total bytes of session files kept; the oldest closed sessions go first. Default 512 MiB. */
  maxBytes?: number;
  now?: () => number;
}

export interface SessionStore {
  /** Reads every session's meta (and the events after its summary), cutting a torn last line; applies retention. */
  load(): PersistedSession[];
  /** One session's files, read as load() reads them (no retention, no size cap), or undefined when it has none. */
  find(sessionId: string): PersistedSession | undefined;
  /** Appends one event synchronously (before any client sees it). Never throws: a failure marks the store degraded. */
  append(record: LogRecord): void;
  writeMeta(meta: SessionMeta): void;
  /** Closes the session's event file (it stays on disk). */
  release(sessionId: string): void;
  /**
   * Why writing fails (ENOSPC, EACCES …), or null once every session that failed has written again. Reading it
   * retries (at most once a second) the meta of each failing session, which records its highest seq.
   */
  readonly degraded: string | null;
  /** Disk used by the sessions directory against its budget. */
  usage(): DiskUsage;
  /** Deletes the oldest closed sessions until the directory fits its budget; never one in `open`. */
  prune(open: ReadonlySet<string>): string[];
  close(): void;
}

const EVENTS = ".jsonl";

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { dir } = options;
  const logger = options.logger.child({ room: "sessions", part: "store" });
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? 7 * 24 * 3600 * 1000;
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  // Per session: the open event file, its size up to the last whole line, the highest seq issued, the last meta asked for.
  interface FileState {
    fd?: number;
    size: number;
    /** Bytes past `size` may be on disk (a failed or short write): cut before the next write. */
    dirty: boolean;
    regular: boolean;
    lastSeq: number;
    meta?: SessionMeta;
    /** Every event issued, folded (saved in the meta as its summary). */
    scan: RestoreScan;
  }
  const files = new Map<string, FileState>();
  const stateOf = (sessionId: string): FileState => {
    let st = files.get(sessionId);
    if (!st) files.set(sessionId, (st = { size: -1, dirty: false, regular: true, lastSeq: 0, scan: new RestoreScan() }));
    return st;
  };
  // Sessions whose last write failed, with why; /health is degraded while one is left.
  const failing = new Map<string, string>();
  let lastProbe = 0;

  // Failures already logged, by session and kind: a broken disk is reported once, not once per event.
  const reported = new Set<string>();
  const fail = (what: string, sessionId: string, err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    failing.set(sessionId, `${what} failed${code ? ` (${code})` : ""}: ${(err as Error).message}`);
    const key = `${sessionId}:${what}:${code}`;
    if (reported.has(key)) return;
    if (reported.size < 10_000) reported.add(key);
    logger.error({ sessionId, code, err: (err as Error).message }, `session persistence ${what} failed; streaming goes on`);
  };

  const ensureDir = () => mkdirSync(dir, { recursive: true, mode: 0o700 });
  const eventsPath = (sessionId: string) => join(dir, sessionId + EVENTS);

  const fdFor = (sessionId: string, st: FileState): number => {
    if (st.fd === undefined) {
      ensureDir();
      const fd = openSync(eventsPath(sessionId), "a", 0o600);
      const info = fstatSync(fd);
      // A file read at load is cut back to its last whole line; a new one is as long as it is. Only a
      // regular file is cut (a test may put /dev/full there).
      st.regular = info.isFile();
      if (st.size < 0 || !st.regular) st.size = info.size;
      else if (info.size !== st.size) st.dirty = true;
      st.fd = fd;
    }
    return st.fd;
  };
  // Cuts what a failed write may have left (a torn line) so the next line starts on a line of its own.
  const cut = (sessionId: string, st: FileState) => {
    if (!st.dirty || !st.regular) return;
    if (st.fd !== undefined) ftruncateSync(st.fd, st.size);
    else truncateSync(eventsPath(sessionId), st.size);
    st.dirty = false;
  };

  const writeMetaFile = (meta: SessionMeta) => writeMeta(dir, meta);
  // The meta as written: with the highest seq issued and, once the file's size is known, the summary up to it.
  const withLastSeq = (st: FileState, meta: SessionMeta): SessionMeta => {
    const { summary: _old, ...rest } = meta;
    return {
      ...rest,
      lastSeq: Math.max(meta.lastSeq ?? 0, st.lastSeq),
      ...(st.size >= 0 && !st.dirty ? { summary: { ...st.scan.summary(), bytes: st.size } } : {}),
    };
  };

  // Whether a failing session writes again: its torn tail is cut, a blank line written, its meta (with the highest seq) rewritten.
  const recover = (sessionId: string): boolean => {
    const st = stateOf(sessionId);
    try {
      // A blank line (the reader skips it) proves the event file takes writes again.
      const fd = fdFor(sessionId, st);
      cut(sessionId, st);
      if (writeSync(fd, "\n") !== 1) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
      st.size += 1;
      if (st.meta) writeMetaFile(withLastSeq(st, st.meta));
    } catch (err) {
      fail("write", sessionId, err);
      return false;
    }
    failing.delete(sessionId);
    logger.info({ sessionId }, "session persistence works again");
    return true;
  };

  // At load: the events after the meta's summary (all of them without one) are folded into the session's scan;
  // a torn last line is cut from the file so the next line starts on its own.
  const scanOnLoad = (sessionId: string, meta: SessionMeta, st: FileState): void => {
    const summary = meta.summary;
    const path = eventsPath(sessionId);
    let offset = 0;
    let afterSeq = 0;
    let tail = summary ? readFrom(path, summary.bytes) : null;
    if (tail && summary) {
      offset = summary.bytes;
      afterSeq = meta.lastSeq ?? 0;
      st.scan = new RestoreScan(summary);
    } else {
      tail = readFrom(path, 0);
      st.scan = new RestoreScan();
    }
    if (!tail) {
      st.size = 0;
      st.lastSeq = meta.lastSeq ?? 0;
      return;
    }
    const parsed = parseEventLines(tail.text, sessionId, afterSeq);
    for (const r of parsed.records) st.scan.add(r.event);
    st.size = offset + parsed.wholeBytes;
    st.lastSeq = Math.max(meta.lastSeq ?? 0, parsed.records.at(-1)?.event.seq ?? 0);
    if (parsed.skipped) logger.warn({ sessionId, skipped: parsed.skipped }, "skipped corrupt lines in a session file");
    if (parsed.tornBytes > 0) {
      logger.warn({ sessionId, bytes: parsed.tornBytes }, "cutting a torn last line from a session file");
      try {
        truncateSync(path, st.size);
      } catch {
        st.dirty = true;
      }
    }
  };
  const readAll = (sessionId: string): LogRecord[] => {
    const all = readFrom(eventsPath(sessionId), 0);
    return all ? parseEventLines(all.text, sessionId).records : [];
  };

  const readMeta = (sessionId: string): SessionMeta | undefined => readMetaFile(dir, sessionId, logger);
  const persisted = (meta: SessionMeta): PersistedSession => {
    const { sessionId } = meta;
    const st = stateOf(sessionId);
    scanOnLoad(sessionId, meta, st);
    st.meta = meta;
    const restored = restoredStateFrom(st.scan.summary(), { createdAt: meta.createdAt, closed: meta.closedAt !== undefined });
    return { meta, restored, lastSeq: st.lastSeq, read: () => readAll(sessionId) };
  };

  const removeFiles = (sessionId: string) => {
    for (const ext of [EVENTS, META]) rmSync(join(dir, sessionId + ext), { force: true });
  };

  return {
    get degraded() {
      if (failing.size && now() - lastProbe >= 1000) {
        lastProbe = now();
        for (const id of [...failing.keys()]) recover(id);
      }
      return failing.values().next().value ?? null;
    },
    load() {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return [];
      }
      const out: PersistedSession[] = [];
      for (const name of names) {
        if (!name.endsWith(META) || name.endsWith(EVENTS)) continue;
        const sessionId = name.slice(0, -META.length);
        const meta = readMeta(sessionId);
        if (!meta) continue;
        if (meta.closedAt !== undefined && now() - meta.closedAt > retentionMs) {
          removeFiles(sessionId);
          logger.info({ sessionId }, "deleted a closed session past its retention");
          continue;
        }
        out.push(persisted(meta));
      }
      // Size cap: delete the oldest closed sessions until the rest fits.
      const size = (id: string) => {
        try {
          return statSync(join(dir, id + EVENTS)).size;
        } catch {
          return 0;
        }
      };
      let total = out.reduce((n, s) => n + size(s.meta.sessionId), 0);
      const closedOldestFirst = out.filter((s) => s.meta.closedAt !== undefined).sort((a, b) => a.meta.closedAt! - b.meta.closedAt!);
      for (const s of closedOldestFirst) {
        if (total <= maxBytes) break;
        total -= size(s.meta.sessionId);
        removeFiles(s.meta.sessionId);
        out.splice(out.indexOf(s), 1);
      }
      return out.sort((a, b) => a.meta.createdAt - b.meta.createdAt);
    },
    find: (sessionId) => {
      // Only a session id names a file here (no path can be built from anything else).
      const meta = SessionIdSchema.safeParse(sessionId).success ? readMeta(sessionId) : undefined;
      return meta ? persisted(meta) : undefined;
    },
    append(record) {
      const id = record.event.sessionId;
      const st = stateOf(id);
      st.lastSeq = Math.max(st.lastSeq, record.event.seq);
      st.scan.add(record.event);
      const line = Buffer.from(record.json + "\n");
      try {
        const fd = fdFor(id, st);
        cut(id, st);
        const written = writeSync(fd, line);
        if (written < line.length) {
          st.dirty = true;
          throw Object.assign(new Error(`short write (${written} of ${line.length} bytes)`), { code: "ENOSPC" });
        }
        st.size += line.length;
      } catch (err) {
        fail("write", id, err);
        if (st.fd === undefined) return;
        // Cut at once if the disk allows it; if not, before the next write.
        st.dirty = true;
        try {
          cut(id, st);
        } catch {
          /* still dirty */
        }
        return;
      }
      if (failing.has(id) && now() - lastProbe >= 1000) {
        lastProbe = now();
        recover(id);
      }
    },
    writeMeta(meta) {
      const st = stateOf(meta.sessionId);
      st.meta = meta;
      try {
        writeMetaFile(withLastSeq(st, meta));
      } catch (err) {
        fail("meta write", meta.sessionId, err);
      }
    },
    release(sessionId) {
      const st = files.get(sessionId);
      if (st?.fd === undefined) return;
      const fd = st.fd;
      delete st.fd;
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    },
    usage: () => diskUsage(dir, maxBytes),
    prune(open) {
      const deleted = pruneToBudget(dir, maxBytes, open);
      for (const id of deleted) files.delete(id);
      if (deleted.length) logger.info({ sessions: deleted.length, maxBytes }, "pruned the oldest closed sessions to fit SESSIONS_MAX_MB");
      return deleted;
    },
    close() {
      for (const id of [...files.keys()]) this.release(id);
    },
  };
}
