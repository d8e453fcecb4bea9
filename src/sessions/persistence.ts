// The manager's persistence plumbing: every record on disk before listeners, meta that follows state changes; no session logic.
import type { LogRecord } from "./event-log.js";
import type { Session } from "./session.js";
import type { PersistedSession, SessionMeta, SessionStore } from "./store.js";

export interface SessionPersistenceOptions {
  /** Sessions on disk; without it nothing is saved and nothing restored. */
  store?: SessionStore;
  /** Used instead of the store's hook when there is no store (e.g. a test's JSONL writer). */
  persist?: (record: LogRecord) => void;
  /** The open or kept session of an id, to write its meta on a state change. */
  sessionOf: (id: string) => Session | undefined;
  now: () => number;
  /** Ids of the open sessions: the disk budget never prunes them. */
  openIds?: () => ReadonlySet<string>;
}

export interface SessionPersistence {
  /** Called synchronously with every record before any listener sees it; undefined when nothing persists. */
  readonly persist: ((record: LogRecord) => void) | undefined;
  /** Saved sessions to restore (empty without a store). */
  load(): PersistedSession[];
  /** One saved session (e.g. a closed one no longer kept in memory), or undefined. */
  find(sessionId: string): PersistedSession | undefined;
  /** Writes the meta of a session that was just created or resumed. */
  created(session: Session): void;
  /** A Claude process was spawned for the session: its pid and start time go on disk before it can do anything. */
  spawned(session: Session): void;
  /** The session's process has exited: its event file is closed (it stays on disk). */
  released(sessionId: string): void;
  close(): void;
}

export function metaOf(session: Session, closedAt?: number): SessionMeta {
  return {
    version: 1,
    sessionId: session.id,
    workingDirectory: session.workingDirectory,
    createdAt: session.createdAt,
    permissionMode: session.permissionMode,
    ...(session.model !== undefined ? { model: session.model } : {}),
    ...(session.grants.length > 0 ? { grants: session.grants } : {}),
    ...(closedAt !== undefined ? { closedAt } : {}),
    ...(session.claudeIdentity ? { claude: session.claudeIdentity } : {}),
  };
}

export function createSessionPersistence(options: SessionPersistenceOptions): SessionPersistence {
  const { store, sessionOf, now } = options;
  // Every event is on disk before any listener (and so any client) sees it; meta follows state changes.
  const persist = store
    ? (record: LogRecord): void => {
        store.append(record);
        if (record.event.type === "sessionUpdate") {
          const session = sessionOf(record.event.sessionId);
          if (session) store.writeMeta(metaOf(session, record.event.data.state === "closed" ? now() : undefined));
        }
      }
    : options.persist;
  return {
    persist,
    load: () => store?.load() ?? [],
    find: (sessionId) => store?.find(sessionId),
    created: (session) => store?.writeMeta(metaOf(session)),
    spawned: (session) => {
      if (sessionOf(session.id) === session) store?.writeMeta(metaOf(session, session.state === "closed" ? now() : undefined));
    },
    released: (sessionId) => {
      store?.release(sessionId);
      // A closed session's files are final now: the oldest closed ones go while the directory is over SESSIONS_MAX_MB.
      store?.prune(options.openIds?.() ?? new Set());
    },
    close: () => store?.close(),
  };
}
