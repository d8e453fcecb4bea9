// Public API of the sessions room: the manager, the session class, the event log and the state machine.
export { createSessionManager } from "./manager.js";
export type { CreateSessionInput, SessionDefaults, SessionEventListener, SessionManager, SessionManagerOptions } from "./manager.js";
export { Session } from "./session.js";
export type { SessionOptions, StreamComplete } from "./session.js";
export { EventLog, DEFAULT_MAX_BYTES, DEFAULT_MAX_EVENTS } from "./event-log.js";
export type { AfterResult, EventLogLimits, EventLogOptions, LogListener, LogRecord } from "./event-log.js";
export { transition, canTransition, IllegalTransitionError, TRANSITIONS, SESSION_TRANSITION_EVENTS } from "./state-machine.js";
export type { SessionTransitionEvent } from "./state-machine.js";
export { toPermissionAnswer, permissionKind, DEFAULT_DENY_MESSAGE, DEFAULT_PERMISSION_TIMEOUT_MS } from "./permissions.js";
export type { PermissionClientAnswer, PermissionKind, PermissionRequest } from "./permissions.js";
export type { AskInput, AskOptions, AskResult } from "./ask.js";
export { DEFAULT_SESSION_LIMITS } from "./types.js";
export type { PromptImage, PromptInput, SendResult, SessionLimits, SpawnSettings } from "./types.js";
export { createSessionStore, SessionMetaSchema } from "./store.js";
export type { PersistedSession, SessionMeta, SessionStore, SessionStoreOptions } from "./store.js";
export { listDirectories, MAX_DIRECTORY_ENTRIES } from "./directories.js";
export { PROCESS_TREE_TRACKED } from "./session-tree.js";
