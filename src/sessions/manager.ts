// The session registry: creates, finds and closes sessions, enforces MAX_SESSIONS, owns the warm pool, fans out every event.
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Logger } from "pino";
import type { StartClaude } from "../claude/types.js";
import type { ProcessTree } from "../claude/process-tree.js";
import { defaultProcessTree } from "./session-tree.js";
import type { PermissionMode } from "../protocol/common.js";
import { SessionIdSchema } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import { runAsk, type AskInput, type AskOptions, type AskResult } from "./ask.js";
import { EventLog, type EventLogLimits, type LogRecord } from "./event-log.js";
import type { PermissionClientAnswer } from "./permissions.js";
import { LogCache } from "./log-cache.js";
import { createSessionPersistence } from "./persistence.js";
import { Session, type SessionOptions } from "./session.js";
import { DEFAULT_SESSION_LIMITS, type PromptImage, type PromptInput, type SendResult, type SessionLimits, type SpawnSettings } from "./types.js";
import { WarmPool } from "./warm-pool.js";
import { resolveWorkingDirectory } from "./working-directory.js";
import type { PersistedSession, SessionStore } from "./store.js";

/** Spawn settings for new sessions, from the resolved config. */
export interface SessionDefaults extends SpawnSettings {
  /** Default working directory (absolute); the warm pool spawns here. */
  cwd: string;
}

export interface SessionManagerOptions {
  startClaude: StartClaude;
  logger: Logger;
  defaults: SessionDefaults;
  /** Directories sessions may work in (after `..` and symlinks); the default directory is always allowed. Default: no limit. */
  allowedRoots?: readonly string[];
  /** Concurrent open sessions (TOO_MANY_SESSIONS beyond). Default 5. */
  maxSessions?: number;
  /** Idle ms before a session and its process close; 0 never. Default 30 min. */
  sessionTimeoutMs?: number;
  /** Silence from Claude during a turn before CLAUDE_TIMEOUT; 0 never. Default 5 min. */
  claudeTimeoutMs?: number;
  /** After a CLAUDE_TIMEOUT interrupt, ms to wait for the result before SIGKILL. Default 3000. */
  timeoutKillGraceMs?: number;
  /** Unanswered permission prompts are denied after this. Default 10 min. */
  permissionTimeoutMs?: number;
  /** Queued prompts per session (SESSION_BUSY beyond). Default 20. */
  queueLimit?: number;
  /** Spare processes for the default cwd and options; 0 disables. Default 1. */
  warmPool?: number;
  /** First wait before a dead or failed spare is replaced (doubles per failure, max 60 s). Default 1000 ms. */
  warmPoolRetryMs?: number;
  /** RSS limit per process in MB (RESOURCE_LIMIT); 0 disables. Default 2048. */
  memoryLimitMb?: number;
  /** Process stats interval in ms; 0 disables. Default 5000 (shorter when a CPU window needs it). */
  statsIntervalMs?: number;
  /** CPU_LIMIT_PERCENT: CPU % of a session's process tree that is a runaway; 0 disables. Default 0. */
  cpuLimitPercent?: number;
  /** CPU_LIMIT_WINDOW: how long the tree must stay over the limit (ms). Default 600 000. */
  cpuLimitWindowMs?: number;
  /** CPU_LIMIT_ACTION: warn (a warning event) or stop (RESOURCE_LIMIT, the offenders stopped). Default warn. */
  cpuLimitAction?: "warn" | "stop";
  /** SIGTERM to SIGKILL when a session's processes are stopped (ms). Default 3000. */
  treeGraceMs?: number;
  /** The processes sessions own (default: the /proc-based reader). */
  processTree?: ProcessTree;
  /** Closed sessions kept for get(), history and resume with the same seq numbers. Default 50. */
  closedSessionsKept?: number;
  /** Clock in ms since epoch (tests). Default Date.now. */
  now?: () => number;
  eventLogLimits?: EventLogLimits;
  /**
   * Whether Claude Code has a transcript for this id (e.g. a terminal session): `resume` of an id that is
   * neither one of ours nor a transcript is SESSION_NOT_FOUND. Without it every UUID may be resumed.
   */
  transcriptExists?: (sessionId: string) => boolean | Promise<boolean>;
  /** Sessions on disk: every event is appended before clients see it, and sessions are restored at start. */
  store?: SessionStore;
  /** Called synchronously with every record of every session before listeners see it (e.g. a JSONL writer). */
  persist?: (record: LogRecord) => void;
}

export interface CreateSessionInput {
  /** Absolute, or relative to defaults.cwd; must exist and lie inside allowedRoots (FORBIDDEN_PATH). Default: defaults.cwd. */
  workingDirectory?: string;
  permissionMode?: PermissionMode;
  model?: string;
  /** First prompt, sent at once. */
  prompt?: string;
  images?: PromptImage[];
  /** Resume this existing conversation (its id) instead of starting a new one. */
  resume?: string;
  /** With resume: a new session (new id) that starts from the resumed one's history (`--fork-session`). */
  fork?: boolean;
}

/** What differs between a created, a resumed and a restored session; the rest is the manager's. */
type NewSessionInput = Pick<SessionOptions, "id" | "workingDirectory" | "spawn" | "resume" | "log" | "process" | "restored">;

export type SessionEventListener = (record: LogRecord) => void;

export interface SessionManager {
  create(input?: CreateSessionInput): Promise<Session>;
  /** Throws SESSION_NOT_FOUND. Closed sessions stay findable for a while (state "closed"). */
  get(id: string): Session;
  /** Open sessions first, then kept closed ones. */
  list(): Session[];
  send(id: string, prompt: PromptInput): SendResult;
  answerPermission(id: string, permissionId: string, answer: PermissionClientAnswer, client?: string): void;
  /** Answers a permission by its id wherever it is pending (ids are Claude's request UUIDs, unique across sessions). */
  answerPermissionAnywhere(permissionId: string, answer: PermissionClientAnswer, client?: string): { sessionId: string };
  interrupt(id: string): Promise<{ interrupted: boolean; droppedPromptIds: string[] }>;
  keepAlive(id: string): void;
  setPermissionMode(id: string, mode: PermissionMode): Promise<void>;
  setModel(id: string, model: string | null): Promise<void>;
  ask(input: AskInput, options: AskOptions): Promise<AskResult>;
  /** Every event of every session, in each session's seq order. Returns an unsubscribe function. */
  onEvent(listener: SessionEventListener): () => void;
  counts(): { active: number; max: number };
  poolStatus(): { size: number; spares: number; ready: number };
  /** Closes one session (SESSION_NOT_FOUND); resolves when its process exited. Idempotent per session. */
  closeSession(id: string): Promise<void>;
  /** Closes every session and stops the warm pool and the store; idempotent. */
  close(): Promise<void>;
  /** Daemon shutdown: every open session is told, interrupted and its process stopped, but kept open on disk; idempotent. */
  suspendAll(): Promise<void>;
}

export function createSessionManager(options: SessionManagerOptions): SessionManager {
  const logger = options.logger.child({ room: "sessions" });
  const now = options.now ?? Date.now;
  const maxSessions = options.maxSessions ?? 5;
  const closedKept = options.closedSessionsKept ?? 50;
  const limits: SessionLimits = {
    queueLimit: options.queueLimit ?? DEFAULT_SESSION_LIMITS.queueLimit,
    permissionTimeoutMs: options.permissionTimeoutMs ?? DEFAULT_SESSION_LIMITS.permissionTimeoutMs,
    claudeTimeoutMs: options.claudeTimeoutMs ?? DEFAULT_SESSION_LIMITS.claudeTimeoutMs,
    timeoutKillGraceMs: options.timeoutKillGraceMs ?? DEFAULT_SESSION_LIMITS.timeoutKillGraceMs,
    sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SESSION_LIMITS.sessionTimeoutMs,
    memoryLimitMb: options.memoryLimitMb ?? DEFAULT_SESSION_LIMITS.memoryLimitMb,
    statsIntervalMs: options.statsIntervalMs ?? DEFAULT_SESSION_LIMITS.statsIntervalMs,
    cpuLimitPercent: options.cpuLimitPercent ?? DEFAULT_SESSION_LIMITS.cpuLimitPercent,
    cpuLimitWindowMs: options.cpuLimitWindowMs ?? DEFAULT_SESSION_LIMITS.cpuLimitWindowMs,
    cpuLimitAction: options.cpuLimitAction ?? DEFAULT_SESSION_LIMITS.cpuLimitAction,
    treeGraceMs: options.treeGraceMs ?? DEFAULT_SESSION_LIMITS.treeGraceMs,
  };
  // A CPU window is sampled at least four times (and never more often than every 500 ms).
  if (limits.cpuLimitPercent > 0 && limits.statsIntervalMs > 0) {
    limits.statsIntervalMs = Math.min(limits.statsIntervalMs, Math.max(500, Math.floor(limits.cpuLimitWindowMs / 4)));
  }
  const processTree = options.processTree ?? defaultProcessTree();
  const { cwd: defaultCwd, ...defaultSpawn } = options.defaults;
  const sessions = new Map<string, Session>();
  const unsubscribes = new Map<Session, () => void>();
  // Sessions whose process is still stopping: a resume of the same id waits (one process per id).
  const stopping = new Map<string, Promise<void>>();
  const listeners = new Set<SessionEventListener>();
  let creating = 0;
  let closing: Promise<void> | undefined;

  const pool = new WarmPool({
    size: options.warmPool ?? 1,
    startClaude: options.startClaude,
    cwd: path.resolve(defaultCwd),
    spawn: defaultSpawn,
    logger: options.logger,
    ...(options.warmPoolRetryMs !== undefined ? { retryBaseMs: options.warmPoolRetryMs } : {}),
  });
  pool.fill();

  const openCount = (): number => {
    let n = 0;
    for (const s of sessions.values()) if (s.state !== "closed") n++;
    return n;
  };

  const fanOut = (record: LogRecord): void => {
    for (const listener of listeners) {
      try {
        listener(record);
      } catch (err) {
        logger.error({ err }, "session event listener failed");
      }
    }
  };

  const persistence = createSessionPersistence({ store: options.store, persist: options.persist, sessionOf: (id) => sessions.get(id), now, openIds: () => new Set([...sessions.values()].filter((x) => x.state !== "closed").map((x) => x.id)) });
  const persist = persistence.persist;

  const onClosed = (session: Session): void => {
    unsubscribes.get(session)?.();
    unsubscribes.delete(session);
    const done = session.close();
    stopping.set(session.id, done);
    void done.finally(() => {
      persistence.released(session.id);
      if (stopping.get(session.id) === done) stopping.delete(session.id);
    });
    pruneClosed();
  };

  const pruneClosed = (): void => {
    const closed = [...sessions.values()].filter((s) => s.state === "closed");
    for (const s of closed.slice(0, Math.max(0, closed.length - closedKept))) sessions.delete(s.id);
  };

  const get = (id: string): Session => {
    const s = sessions.get(id);
    if (!s) throw new CompanionError("SESSION_NOT_FOUND", { sessionId: id });
    return s;
  };

  const defaultDir = path.resolve(defaultCwd);
  /** The working-directory rule (FORBIDDEN_PATH): the default directory must exist; any other must also lie inside the allowed roots. */
  const directoryFor = (dir: string | undefined): string => {
    if (dir === undefined || dir === defaultDir) {
      resolveWorkingDirectory(defaultDir, undefined, defaultDir);
      return defaultDir;
    }
    return resolveWorkingDirectory(dir, options.allowedRoots, defaultDir);
  };

  /** The one place a Session is built, for create, resume and restore: registered, fanned out, in creation order. */
  const newSession = (input: NewSessionInput): Session => {
    const session = new Session({
      ...input,
      startClaude: options.startClaude,
      logger: options.logger,
      now,
      limits,
      onClosed,
      // Checked again before every prompt and spawn: the roots may have narrowed since (a restart) or the directory gone.
      checkDirectory: (dir) => void directoryFor(dir),
      processTree,
      onSpawn: (s) => persistence.spawned(s),
      ...(options.eventLogLimits ? { eventLogLimits: options.eventLogLimits } : {}),
      ...(persist ? { persist } : {}),
    });
    // Re-inserted so the map keeps creation order (list() and pruning rely on it).
    sessions.delete(session.id);
    sessions.set(session.id, session);
    if (session.state !== "closed") unsubscribes.set(session, session.log.subscribe(fanOut));
    return session;
  };

  const create = async (input: CreateSessionInput = {}): Promise<Session> => {
    if (closing) throw new CompanionError("SHUTTING_DOWN");
    const prompt: PromptInput | undefined = input.prompt !== undefined ? { text: input.prompt, ...(input.images ? { images: input.images } : {}) } : undefined;
    // The directory is checked first, whatever else the request would be refused for.
    const requestedDir = input.workingDirectory !== undefined ? directoryFor(input.workingDirectory) : undefined;
    const forkFrom = input.fork === true ? input.resume : undefined;
    const resumeId = forkFrom === undefined ? input.resume : undefined;
    if (forkFrom !== undefined && !SessionIdSchema.safeParse(forkFrom).success) {
      throw new CompanionError("BAD_REQUEST", { reason: "resume must be a session id (UUID)" }, { field: "resume" });
    }
    if (resumeId !== undefined) {
      if (!SessionIdSchema.safeParse(resumeId).success) {
        throw new CompanionError("BAD_REQUEST", { reason: "resume must be a session id (UUID)" }, { field: "resume" });
      }
      const existing = sessions.get(resumeId);
      if (existing && existing.state !== "closed") {
        if (prompt) existing.send(prompt);
        return existing;
      }
    }
    // A closed session no longer kept in memory is still on disk: resumed from there, its seq goes on.
    const onDisk = resumeId !== undefined && !sessions.has(resumeId) ? persistence.find(resumeId) : undefined;
    // An id that is neither ours nor a Claude transcript would spawn and fail for ever, holding a slot.
    const known = input.resume !== undefined ? (sessions.get(input.resume) ?? onDisk?.meta) : undefined;
    if (input.resume !== undefined && !known && options.transcriptExists && !(await options.transcriptExists(input.resume))) {
      throw new CompanionError("SESSION_NOT_FOUND", { sessionId: input.resume });
    }
    if (openCount() + creating >= maxSessions) throw new CompanionError("TOO_MANY_SESSIONS", { max: maxSessions });
    creating++;
    let session: Session;
    try {
      // A closed session of ours resumed without a directory keeps its own one (checked like any other).
      const cwd = requestedDir ?? (resumeId !== undefined && known ? directoryFor(known.workingDirectory) : directoryFor(undefined));
      if (resumeId !== undefined) await stopping.get(resumeId);
      if (closing) throw new CompanionError("SHUTTING_DOWN");
      const spawn: SpawnSettings = { ...defaultSpawn, permissionMode: input.permissionMode ?? defaultSpawn.permissionMode };
      if (forkFrom !== undefined) spawn.forkFrom = forkFrom;
      const model = input.model ?? defaultSpawn.model;
      if (model !== undefined) spawn.model = model;
      else delete spawn.model;
      const pooled = resumeId === undefined && forkFrom === undefined && pool.matches(cwd, spawn) ? pool.take() : undefined;
      const id = resumeId ?? pooled?.sessionId ?? randomUUID();
      const previous = sessions.get(id);
      const keptLog: EventLog | undefined = previous?.state === "closed" ? previous.log : onDisk && !previous ? savedLog(onDisk) : undefined;
      session = newSession({
        id,
        workingDirectory: cwd,
        spawn,
        resume: resumeId !== undefined,
        ...(keptLog ? { log: keptLog } : {}),
        ...(pooled ? { process: pooled } : {}),
      });
      persistence.created(session);
      logger.info({ sessionId: id, cwd, pooled: pooled !== undefined, resume: resumeId !== undefined }, "session created");
    } finally {
      creating--;
    }
    session.start(prompt);
    return session;
  };

  // Restored logs stay on disk until a client asks for them; once read they share one byte budget.
  const logCache = new LogCache();
  /** The log of a session on disk: its seq goes on from the file's, its events are read when asked for. */
  const savedLog = ({ meta, lastSeq, read }: PersistedSession): EventLog =>
    new EventLog({
      sessionId: meta.sessionId,
      now,
      ...options.eventLogLimits,
      ...(persist ? { persist } : {}),
      onError: (err, where) => logger.error({ err, where, sessionId: meta.sessionId }, "session event log hook failed"),
      source: { lastSeq, read, cache: logCache },
    });
  const restore = (saved: PersistedSession): void => {
    const { meta, restored } = saved;
    const log = savedLog(saved);
    const spawn: SpawnSettings = { ...defaultSpawn, permissionMode: meta.permissionMode };
    if (meta.model !== undefined) spawn.model = meta.model;
    // A daemon killed with -9 left its Claude (and what it started) running: stopped before any --resume.
    const killed = processTree.killSurvivors(meta.sessionId, meta.claude);
    if (killed > 0) logger.warn({ sessionId: meta.sessionId, processes: killed, pid: meta.claude?.pid }, "stopped processes a previous daemon left running");
    const session = newSession({ id: meta.sessionId, workingDirectory: meta.workingDirectory, spawn, resume: restored.transcript, log, restored });
    if (meta.claude) session.claudeIdentity = meta.claude;
    session.restore();
  };
  const saved = persistence.load();
  for (const s of saved) {
    try {
      restore(s);
    } catch (err) {
      logger.error({ err, sessionId: s.meta.sessionId }, "could not restore a session");
    }
  }
  pruneClosed();
  if (saved.length) logger.info({ sessions: saved.length, open: openCount() }, "sessions restored from disk");

  /** Stops everything once: the pool, every open session (closed, or suspended to be restored), the store. */
  const stopAll = (how: "close" | "suspend"): Promise<void> => {
    closing ??= (async () => {
      logger.info({ sessions: openCount(), how }, "stopping all sessions");
      const open = [...sessions.values()].filter((s) => s.state !== "closed");
      const stop = (s: Session) => (how === "close" ? s.close("shutdown") : s.suspend("daemon-shutdown"));
      await Promise.all([pool.close(), ...open.map(stop), ...stopping.values()]);
      persistence.close();
    })();
    return closing;
  };

  const answerPermissionAnywhere = (permissionId: string, answer: PermissionClientAnswer, client?: string): { sessionId: string } => {
    let notPending: unknown;
    for (const s of sessions.values()) {
      if (s.state === "closed") continue;
      try {
        s.answerPermission(permissionId, answer, client);
        return { sessionId: s.id };
      } catch (e) {
        if (e instanceof CompanionError && e.code === "PERMISSION_NOT_FOUND") continue;
        if (e instanceof CompanionError && e.code === "PERMISSION_NOT_PENDING") {
          notPending = e;
          continue;
        }
        throw e;
      }
    }
    throw notPending ?? new CompanionError("PERMISSION_NOT_FOUND", { permissionId });
  };

  return {
    create,
    get,
    list: () => {
      const all = [...sessions.values()];
      return [...all.filter((s) => s.state !== "closed"), ...all.filter((s) => s.state === "closed")];
    },
    send: (id, prompt) => get(id).send(prompt),
    answerPermission: (id, permissionId, answer, client) => get(id).answerPermission(permissionId, answer, client),
    answerPermissionAnywhere,
    interrupt: (id) => get(id).interrupt(),
    keepAlive: (id) => get(id).keepAlive(),
    setPermissionMode: (id, mode) => get(id).setPermissionMode(mode),
    setModel: (id, model) => get(id).setModel(model),
    ask: (input, askOptions) => runAsk((i) => create(i), input, askOptions),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    counts: () => ({ active: openCount(), max: maxSessions }),
    poolStatus: () => pool.status(),
    closeSession: (id) => get(id).close("closed"),
    close: () => stopAll("close"),
    suspendAll: () => stopAll("suspend"),
  };
}
