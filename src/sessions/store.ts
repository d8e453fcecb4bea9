// Sessions on disk: an append-only JSONL event file and a small meta file per session, under <config dir>/sessions.
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import { writeFileAtomicSync } from "../atomic-file.js";
import { PermissionModeSchema } from "../protocol/common.js";
import { SessionEventSchema, type SessionEvent } from "../protocol/events.js";
import { diskUsage, pruneToBudget, type DiskUsage } from "./disk-budget.js";
import type { LogRecord } from "./event-log.js";

export const SessionMetaSchema = z.object({
  version: z.literal(1),
  sessionId: z.uuid(),
  workingDirectory: z.string(),
  createdAt: z.number(),
  permissionMode: PermissionModeSchema,
  model: z.string().optional(),
  /** ms since epoch when the session was closed; absent while it is open (or suspended by a shutdown). */
  closedAt: z.number().optional(),
  /** The highest seq issued so far, written when the meta is (events lost to a full disk leave it above the file's last line). */
  lastSeq: z.number().int().nonnegative().optional(),
  /** The last Claude process spawned for it: a survivor of a killed daemon is stopped before any --resume. */
  claude: z.object({ pid: z.number().int().positive(), startTime: z.string().max(32) }).optional(),
});
export type SessionMeta = z.infer<typeof SessionMetaSchema>;

export interface PersistedSession {
  meta: SessionMeta;
  /** Every event read from disk, in increasing seq order (holes where a write failed). */
  records: LogRecord[];
  /** The highest seq ever issued: the meta's, or the last record's when higher. */
  lastSeq: number;
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
  /** Reads every session, skipping corrupt or truncated lines with a warning; applies retention. */
  load(): PersistedSession[];
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
const META = ".json";

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
  }
  const files = new Map<string, FileState>();
  const stateOf = (sessionId: string): FileState => {
    let st = files.get(sessionId);
    if (!st) files.set(sessionId, (st = { size: -1, dirty: false, regular: true, lastSeq: 0 }));
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

  const writeMetaFile = (meta: SessionMeta) => {
    ensureDir();
    const path = join(dir, meta.sessionId + META);
    writeFileAtomicSync(path, JSON.stringify(meta) + "\n");
  };
  const withLastSeq = (st: FileState, meta: SessionMeta): SessionMeta => ({ ...meta, lastSeq: Math.max(meta.lastSeq ?? 0, st.lastSeq) });

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

  // Reads a session's events: whole lines in increasing seq order; a torn last line is cut from the file,
  // a corrupt line is skipped (with what follows it kept), a line glued to a torn one is recovered.
  const readEvents = (sessionId: string, st: FileState): LogRecord[] => {
    let text: string;
    try {
      text = readFileSync(eventsPath(sessionId), "utf8");
    } catch {
      st.size = 0;
      return [];
    }
    const records: LogRecord[] = [];
    const end = text.lastIndexOf("\n") + 1;
    if (end < text.length) {
      logger.warn({ sessionId, bytes: Buffer.byteLength(text.slice(end)) }, "cutting a torn last line from a session file");
      try {
        truncateSync(eventsPath(sessionId), Buffer.byteLength(text.slice(0, end)));
      } catch {
        st.dirty = true;
      }
    }
    st.size = Buffer.byteLength(text.slice(0, end));
    let skipped = 0;
    const parse = (line: string): SessionEvent | undefined => {
      try {
        const parsed = SessionEventSchema.safeParse(JSON.parse(line));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    };
    let from = 0;
    while (from < end) {
      const nl = text.indexOf("\n", from);
      let line = text.slice(from, nl);
      from = nl + 1;
      if (!line) continue;
      let event = parse(line);
      if (!event) {
        // A line written after a torn one (by a daemon that did not cut it) starts inside the same line.
        const glued = line.lastIndexOf('{"seq":');
        if (glued > 0) {
          line = line.slice(glued);
          event = parse(line);
        }
      }
      const last = records.at(-1)?.event.seq ?? 0;
      if (!event || event.sessionId !== sessionId || event.seq <= last) {
        skipped++;
        continue;
      }
      records.push({ event, json: line });
    }
    if (skipped) logger.warn({ sessionId, skipped }, "skipped corrupt lines in a session file");
    return records;
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
        let meta: SessionMeta;
        try {
          meta = SessionMetaSchema.parse(JSON.parse(readFileSync(join(dir, name), "utf8")));
        } catch (err) {
          logger.warn({ file: name, err: (err as Error).message }, "skipping an unreadable session meta file");
          continue;
        }
        if (meta.sessionId !== sessionId) continue;
        if (meta.closedAt !== undefined && now() - meta.closedAt > retentionMs) {
          removeFiles(sessionId);
          logger.info({ sessionId }, "deleted a closed session past its retention");
          continue;
        }
        const st = stateOf(sessionId);
        const records = readEvents(sessionId, st);
        st.lastSeq = Math.max(meta.lastSeq ?? 0, records.at(-1)?.event.seq ?? 0);
        st.meta = meta;
        out.push({ meta, records, lastSeq: st.lastSeq });
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
    append(record) {
      const id = record.event.sessionId;
      const st = stateOf(id);
      st.lastSeq = Math.max(st.lastSeq, record.event.seq);
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
