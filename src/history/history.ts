// Every Claude Code session on this computer from its transcripts: list, find, read and follow. Knows no HTTP.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { HistoryQuery, HistorySession } from "../protocol/history.js";
import { CompanionError } from "../protocol/errors.js";
import { createLiveRegistry, type LiveProcess } from "./live-registry.js";
import { scanTranscript, titleOfMeta, type TranscriptMeta } from "./transcript-meta.js";
import { createTranscriptFeed, type TranscriptFeed } from "./transcript-feed.js";
import { compareListed, decodeCursor, encodeCursor, isInsideRoots, resumeCommand, sameDirectory } from "./paths.js";

const UUID_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jsonl$/i;
/** Files scanned at once on a cold listing. */
const SCAN_CONCURRENCY = 4;
/** Read buffer of each scanning worker, bytes. */
const SCAN_BUFFER = 128 * 1024;
/** Feeds kept in memory without a listener. */
const IDLE_FEEDS = 8;

/** What the daemon knows of its own sessions (they are listed once, as `companion`). */
export interface CompanionSessions {
  has(sessionId: string): boolean;
  /** Pids of the daemon's own Claude processes (they are not "a terminal"). */
  pids(): Set<number>;
}

export interface HistoryOptions {
  /** Claude Code's config dir ($CLAUDE_CONFIG_DIR, else ~/.claude). */
  claudeConfigDir: string;
  allowedRoots: readonly string[];
  /** The daemon's default directory (relative working directories resolve against it). */
  defaultCwd?: string;
  logger: Logger;
  companion?: CompanionSessions;
  /** Poll interval of a followed transcript in ms. Default 1000. */
  pollMs?: number;
}

/** One transcript found on disk, inside the allowed roots. */
export interface HistoryEntry {
  sessionId: string;
  file: string;
  meta: TranscriptMeta;
  workingDirectory: string;
}

export interface History {
  list(query: HistoryQuery): Promise<{ sessions: HistorySession[]; nextCursor: string | null }>;
  /** The transcript of `sessionId` inside the allowed roots, or undefined. */
  find(sessionId: string): Promise<HistoryEntry | undefined>;
  /** Like find(), but SESSION_NOT_FOUND when missing. */
  get(sessionId: string): Promise<HistoryEntry>;
  /** The terminal process writing `sessionId` now (not one of the daemon's own), if any. */
  liveProcess(sessionId: string): Promise<LiveProcess | undefined>;
  describe(entry: HistoryEntry): Promise<HistorySession>;
  /** Does a requested working directory name a transcript's recorded one? */
  sameDirectory(requested: string, recorded: string): boolean;
  /** The session's events, read up to the file's last complete line. */
  feed(sessionId: string): Promise<TranscriptFeed>;
  close(): void;
}

export function createHistory(options: HistoryOptions): History {
  const logger = options.logger.child({ room: "history" });
  const projects = path.join(options.claudeConfigDir, "projects");
  const registry = createLiveRegistry(options.claudeConfigDir);
  const cache = new Map<string, TranscriptMeta>();
  const warned = new Set<string>();
  const feeds = new Map<string, TranscriptFeed>();

  const metaOf = async (file: string, buffer?: Buffer): Promise<TranscriptMeta | undefined> => {
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) {
      cache.delete(file);
      return undefined;
    }
    const key = { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
    const hit = cache.get(file);
    if (hit && hit.ino === key.ino && hit.size === key.size && hit.mtimeMs === key.mtimeMs) return hit;
    try {
      const m = await scanTranscript(file, key, hit, buffer);
      cache.set(file, m);
      return m;
    } catch (err) {
      if (!warned.has(file)) logger.warn({ err, file }, "transcript could not be read; skipped");
      warned.add(file);
      return undefined;
    }
  };

  const usable = (file: string, m: TranscriptMeta | undefined): m is TranscriptMeta & { cwd: string } => {
    if (!m) return false;
    if (m.cwd === undefined) {
      // A file with lines but no readable record is corrupt: skipped with one warning, the listing goes on.
      if (m.badLines > 0 && !warned.has(file)) {
        warned.add(file);
        logger.warn({ file, badLines: m.badLines }, "transcript has no readable record; skipped");
      }
      return false;
    }
    return isInsideRoots(m.cwd, options.allowedRoots);
  };

  /** Top-level `<uuid>.jsonl` files of every project folder (subagent files live deeper or are named agent-*). */
  const transcriptFiles = async (): Promise<string[]> => {
    const dirs = await readdir(projects, { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const d of dirs) {
      if (!d.isDirectory()) continue;
      const names = await readdir(path.join(projects, d.name)).catch(() => [] as string[]);
      for (const n of names) if (UUID_FILE.test(n)) out.push(path.join(projects, d.name, n));
    }
    return out;
  };

  const entryOf = (file: string, m: TranscriptMeta & { cwd: string }): HistoryEntry => ({
    sessionId: path.basename(file, ".jsonl").toLowerCase(),
    file,
    meta: m,
    workingDirectory: m.cwd,
  });

  const all = async (): Promise<HistoryEntry[]> => {
    const files = await transcriptFiles();
    const entries: HistoryEntry[] = [];
    let next = 0;
    const worker = async () => {
      // One read buffer per worker, reused for every file it scans.
      let buffer: Buffer | undefined;
      while (next < files.length) {
        const file = files[next++]!;
        const m = await metaOf(file, (buffer ??= Buffer.allocUnsafe(SCAN_BUFFER)));
        if (usable(file, m)) entries.push(entryOf(file, m));
      }
    };
    await Promise.all(Array.from({ length: SCAN_CONCURRENCY }, worker));
    const present = new Set(files);
    for (const f of cache.keys()) if (!present.has(f)) cache.delete(f);
    return entries;
  };

  const liveProcess = async (sessionId: string): Promise<LiveProcess | undefined> => {
    // Read now, not from the listing's cache: a refusal or a resume must see a terminal that just started.
    const p = (await registry.current(true)).get(sessionId);
    if (!p || options.companion?.pids().has(p.pid)) return undefined;
    return p;
  };

  const describeWith = (e: HistoryEntry, live: Map<string, LiveProcess>, own: Set<number>): HistorySession => {
    const p = live.get(e.sessionId);
    return {
      sessionId: e.sessionId,
      title: titleOfMeta(e.meta),
      workingDirectory: e.workingDirectory,
      gitBranch: e.meta.gitBranch ?? null,
      lastActivity: e.meta.lastActivity,
      messageCount: e.meta.messageCount,
      live: p !== undefined && !own.has(p.pid),
      companion: options.companion?.has(e.sessionId) ?? false,
      resumeCommand: resumeCommand(e.workingDirectory, e.sessionId),
    };
  };

  const find = async (sessionId: string): Promise<HistoryEntry | undefined> => {
    const id = sessionId.toLowerCase();
    const known = [...cache.keys()].find((f) => path.basename(f, ".jsonl").toLowerCase() === id);
    const candidates = known ? [known] : (await transcriptFiles()).filter((f) => path.basename(f, ".jsonl").toLowerCase() === id);
    for (const file of candidates) {
      const m = await metaOf(file);
      if (usable(file, m)) return entryOf(file, m);
    }
    return undefined;
  };

  return {
    async list(query) {
      const entries = await all();
      const q = query.q?.toLowerCase().trim();
      const matching = q ? entries.filter((e) => titleOfMeta(e.meta).toLowerCase().includes(q) || e.meta.search.includes(q)) : entries;
      const key = (e: HistoryEntry) => ({ lastActivity: e.meta.lastActivity, sessionId: e.sessionId });
      matching.sort((a, b) => compareListed(key(a), key(b)));
      let start = 0;
      if (query.cursor !== undefined) {
        // The page starts at the first session after the cursor in the same order the list is sorted by.
        const c = decodeCursor(query.cursor);
        start = matching.findIndex((e) => compareListed(key(e), c) > 0);
        if (start === -1) start = matching.length;
      }
      const page = matching.slice(start, start + query.limit);
      const live = await registry.current();
      const own = options.companion?.pids() ?? new Set<number>();
      const last = page.at(-1);
      return {
        sessions: page.map((e) => describeWith(e, live, own)),
        nextCursor: last && start + page.length < matching.length ? encodeCursor(last.meta.lastActivity, last.sessionId) : null,
      };
    },
    find,
    async get(sessionId) {
      const e = await find(sessionId);
      if (!e) throw new CompanionError("SESSION_NOT_FOUND", { sessionId });
      return e;
    },
    liveProcess,
    sameDirectory: (requested, recorded) => sameDirectory(requested, recorded, options.defaultCwd ?? recorded),
    async describe(e) {
      return describeWith(e, await registry.current(), options.companion?.pids() ?? new Set());
    },
    async feed(sessionId) {
      const e = await find(sessionId);
      if (!e) throw new CompanionError("SESSION_NOT_FOUND", { sessionId });
      let f = feeds.get(e.sessionId);
      if (!f || f.file !== e.file) {
        f?.close();
        f = createTranscriptFeed({ sessionId: e.sessionId, file: e.file, logger, ...(options.pollMs ? { pollMs: options.pollMs } : {}) });
        feeds.set(e.sessionId, f);
      }
      // Most recently used last; idle feeds beyond the limit are dropped.
      feeds.delete(e.sessionId);
      feeds.set(e.sessionId, f);
      const idle = [...feeds.values()].filter((x) => x.listeners() === 0);
      for (const x of idle.slice(0, Math.max(0, idle.length - IDLE_FEEDS))) {
        x.close();
        feeds.delete(x.sessionId);
      }
      await f.refresh();
      return f;
    },
    close() {
      for (const f of feeds.values()) f.close();
      feeds.clear();
    },
  };
}
