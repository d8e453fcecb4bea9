// Sessions on disk: an append-only JSONL event file and a small meta file per session, under <config dir>/sessions.
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import { PermissionModeSchema } from "../protocol/common.js";
import { SessionEventSchema, type SessionEvent } from "../protocol/events.js";
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
});
export type SessionMeta = z.infer<typeof SessionMetaSchema>;

export interface PersistedSession {
  meta: SessionMeta;
  /** Every event read from disk, in seq order. */
  records: LogRecord[];
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
  /** Why writing failed (ENOSPC, EACCES …), or null while all is well. */
  readonly degraded: string | null;
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
  const fds = new Map<string, number>();
  let degraded: string | null = null;

  // Failures already logged, by session and kind: a broken disk is reported once, not once per event.
  const reported = new Set<string>();
  const fail = (what: string, sessionId: string, err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    degraded = `${what} failed${code ? ` (${code})` : ""}: ${(err as Error).message}`;
    const key = `${sessionId}:${what}:${code}`;
    if (reported.has(key)) return;
    if (reported.size < 10_000) reported.add(key);
    logger.error({ sessionId, code, err: (err as Error).message }, `session persistence ${what} failed; streaming goes on`);
  };

  const ensureDir = () => mkdirSync(dir, { recursive: true, mode: 0o700 });

  const fdFor = (sessionId: string): number => {
    let fd = fds.get(sessionId);
    if (fd === undefined) {
      ensureDir();
      fd = openSync(join(dir, sessionId + EVENTS), "a", 0o600);
      fds.set(sessionId, fd);
    }
    return fd;
  };

  const readEvents = (sessionId: string): LogRecord[] => {
    let text: string;
    try {
      text = readFileSync(join(dir, sessionId + EVENTS), "utf8");
    } catch {
      return [];
    }
    const records: LogRecord[] = [];
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      if (!line) return;
      let event: SessionEvent | undefined;
      try {
        const parsed = SessionEventSchema.safeParse(JSON.parse(line));
        if (parsed.success) event = parsed.data;
      } catch {
        /* reported below */
      }
      const expected = (records.at(-1)?.event.seq ?? 0) + 1;
      if (!event || event.sessionId !== sessionId || event.seq !== expected) {
        // A power loss leaves a truncated last line: skip it, never fail the start.
        logger.warn({ sessionId, line: i + 1, last: i >= lines.length - 2 }, "skipping a corrupt line in a session file");
        return;
      }
      records.push({ event, json: line });
    });
    return records;
  };

  const removeFiles = (sessionId: string) => {
    for (const ext of [EVENTS, META]) rmSync(join(dir, sessionId + ext), { force: true });
  };

  return {
    get degraded() {
      return degraded;
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
        out.push({ meta, records: readEvents(sessionId) });
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
      try {
        writeSync(fdFor(id), record.json + "\n");
      } catch (err) {
        fail("write", id, err);
      }
    },
    writeMeta(meta) {
      try {
        ensureDir();
        const path = join(dir, meta.sessionId + META);
        writeFileSync(path + ".tmp", JSON.stringify(meta) + "\n", { mode: 0o600 });
        renameSync(path + ".tmp", path);
      } catch (err) {
        fail("meta write", meta.sessionId, err);
      }
    },
    release(sessionId) {
      const fd = fds.get(sessionId);
      if (fd === undefined) return;
      fds.delete(sessionId);
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    },
    close() {
      for (const id of [...fds.keys()]) this.release(id);
    },
  };
}
