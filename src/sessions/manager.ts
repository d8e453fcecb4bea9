// The session registry: creates, finds and closes sessions, enforces MAX_SESSIONS, owns the warm pool, fans out every event.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { defaultProcessTree } from "./session-tree.js";
import type { PermissionMode } from "../protocol/common.js";
import { SessionIdSchema } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import type { NewSessionEvent } from "../protocol/events.js";
import { runAsk, type AskInput, type AskOptions, type AskResult } from "./ask.js";
import type { EventLog, LogRecord } from "./event-log.js";
import type { PermissionClientAnswer } from "./permissions.js";
import { createSessionPersistence } from "./persistence.js";
import { createSavedSessions } from "./saved-sessions.js";
import { Session, type SessionOptions } from "./session.js";
import { resolveSessionLimits, type SessionManagerOptions } from "./manager-options.js";
import type { PromptImage, PromptInput, SendResult, SpawnSettings } from "./types.js";
import { WarmPool } from "./warm-pool.js";
import { createModelWatch } from "./reported-models.js";
import type { ModelsResponse } from "../protocol/models.js";
import { resolveWorkingDirectory } from "./working-directory.js";
import type { PersistedSession } from "./store.js";

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
  /**
   * With resume of a closed session of ours: events made elsewhere (a terminal's turns, read from Claude Code's
   * transcript) appended to its log before it starts, so its log tells the whole conversation.
   */
  imported?: NewSessionEvent[];
}

/** What differs between a created, a resumed and a restored session; the rest is the manager's. */
type NewSessionInput = Pick<SessionOptions, "id" | "workingDirectory" | "spawn" | "resume" | "log" | "process" | "restored" | "grants">;

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
  /** The models the CLI listed in the last `initialize` reply (GET /api/models). */
  models(): ModelsResponse;
  /** Closes one session (SESSION_NOT_FOUND); resolves when its process exited. Idempotent per session. */
  closeSession(id: string): Promise<void>;
  /**
   * Hands a session over (to a terminal): an open one is closed with `reason`; a closed one gets one more closing
   * sessionUpdate with it. `transcriptSeq` goes into that event. Throws SESSION_NOT_FOUND.
   */
  handOff(id: string, reason: string, extra: { transcriptSeq?: number }): Promise<void>;
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
  const limits = resolveSessionLimits(options);
  const processTree = options.processTree ?? defaultProcessTree();
  const { cwd: defaultCwd, ...defaultSpawn } = options.defaults;
  const sessions = new Map<string, Session>();
  const unsubscribes = new Map<Session, () => void>();
  // Sessions whose process is still stopping: a resume of the same id waits (one process per id).
  const stopping = new Map<string, Promise<void>>();
  const listeners = new Set<SessionEventListener>();
  let creating = 0;
  let closing: Promise<void> | undefined;

  // Every process's initialize reply names the models the CLI offers (the model picker's list).
  const modelWatch = createModelWatch(options.startClaude);
  const startClaude = modelWatch.startClaude;
  const pool = new WarmPool({
    size: options.warmPool ?? 1,
    startClaude,
    cwd: path.resolve(defaultCwd),
    spawn: defaultSpawn,
    logger: options.logger,
    ...(options.warmPoolRetryMs !== undefined ? { retryBaseMs: options.warmPoolRetryMs } : {}),
  });
  // The daemon's Claude check runs after it listens: no spare starts before it says the CLI is there.
  if (options.warmPoolAfter) void options.warmPoolAfter.then((available) => available && pool.fill());
  else pool.fill();

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
  const savedSessions = createSavedSessions({ now, logger, ...(options.eventLogLimits ? { eventLogLimits: options.eventLogLimits } : {}), ...(persist ? { persist } : {}), processTree, defaultSpawn });

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
      startClaude,
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
    if (input.resume !== undefined && !SessionIdSchema.safeParse(input.resume).success) {
      throw new CompanionError("BAD_REQUEST", { reason: "resume must be a session id (UUID)" }, { field: "resume" });
    }
    if (resumeId !== undefined) {
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
      // A resumed session of ours keeps what "Always allow" granted it (a mode grant too, unless another mode is asked).
      const grants = resumeId !== undefined ? (sessions.get(resumeId)?.grants ?? onDisk?.meta.grants ?? []) : [];
      const grantedMode = grants.find((g) => g.kind === "mode")?.mode;
      const spawn: SpawnSettings = { ...defaultSpawn, permissionMode: input.permissionMode ?? grantedMode ?? defaultSpawn.permissionMode };
      if (forkFrom !== undefined) spawn.forkFrom = forkFrom;
      const model = input.model ?? defaultSpawn.model;
      if (model !== undefined) spawn.model = model;
      else delete spawn.model;
      const pooled = resumeId === undefined && forkFrom === undefined && pool.matches(cwd, spawn) ? pool.take() : undefined;
      const id = resumeId ?? pooled?.sessionId ?? randomUUID();
      const previous = sessions.get(id);
      const keptLog: EventLog | undefined = previous?.state === "closed" ? previous.log : onDisk && !previous ? savedSessions.log(onDisk) : undefined;
      session = newSession({
        id,
        workingDirectory: cwd,
        spawn,
        resume: resumeId !== undefined,
        grants,
        ...(keptLog ? { log: keptLog } : {}),
        ...(pooled ? { process: pooled } : {}),
      });
      persistence.created(session);
      if (keptLog) for (const event of input.imported ?? []) session.log.append(event);
      logger.info({ sessionId: id, cwd, pooled: pooled !== undefined, resume: resumeId !== undefined }, "session created");
    } finally {
      creating--;
    }
    session.start(prompt);
    return session;
  };

  const restore = (saved: PersistedSession): void => {
    const session = newSession(savedSessions.restoreInput(saved));
    if (saved.meta.claude) session.claudeIdentity = saved.meta.claude;
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
    models: () => modelWatch.models(),
    closeSession: (id) => get(id).close("closed"),
    handOff: async (id, reason, extra) => {
      const s = get(id);
      if (s.state !== "closed") return s.close(reason, extra);
      // Closed already: the new closing event still reaches every client, like the first one did.
      const off = s.log.subscribe(fanOut);
      try {
        s.closedAgain(reason, extra);
      } finally {
        off();
      }
    },
    close: () => stopAll("close"),
    suspendAll: () => stopAll("suspend"),
  };
}
