// Terminal sessions seen from the daemon: resuming one in its recorded directory, refusing writes to a transcript.
import { CompanionError, isCompanionError, type StreamStartRequest } from "../protocol/index.js";
import type { History } from "../history/index.js";
import type { CreateSessionInput, SessionManager } from "../sessions/index.js";
import type { SessionPolicy } from "./session-policy.js";
import { terminalEvents } from "./handoff.js";

export interface HistoryPolicy {
  /** The session input of a streamStart: a resumed transcript runs in its recorded directory. */
  startInput(body: StreamStartRequest): Promise<CreateSessionInput>;
  /** Runs `fn`; a SESSION_NOT_FOUND for a transcript becomes TERMINAL_OWNS_SESSION or SESSION_READ_ONLY. */
  write<T>(sessionId: string, fn: () => T | Promise<T>): Promise<T>;
  /** A terminal (not the daemon) is writing this session's transcript now. */
  isTerminalLive(sessionId: string): Promise<boolean>;
  /** Claude Code has a transcript of this session inside the allowed roots. */
  hasTranscript(sessionId: string): Promise<boolean>;
}

export function createHistoryPolicy(history: History | undefined, sessions: SessionManager, policy: SessionPolicy): HistoryPolicy {
  const ownOpen = (id: string): boolean => sessions.list().some((s) => s.id === id && s.state !== "closed");
  return {
    async startInput(body) {
      if (body.fork && body.resume === undefined) {
        throw new CompanionError("BAD_REQUEST", { reason: "body.fork: needs resume (the session to fork)" }, { path: "body.fork" });
      }
      if (!history) return policy.createInput(body);
      const entry = body.resume !== undefined && !(ownOpen(body.resume) && !body.fork) ? await history.find(body.resume) : undefined;
      if (!entry) return policy.createInput(body);
      const recorded = entry.workingDirectory;
      if (body.workingDirectory !== undefined && !history.sameDirectory(body.workingDirectory, recorded)) {
        throw new CompanionError("RESUME_DIRECTORY_MISMATCH", { sessionId: entry.sessionId, recorded, requested: body.workingDirectory });
      }
      if (!body.fork) {
        const live = await history.liveProcess(entry.sessionId);
        if (live) throw new CompanionError("TERMINAL_OWNS_SESSION", { sessionId: entry.sessionId, pid: live.pid }, { fork: true });
      }
      // Ours handed to a terminal: the terminal's turns join its log before it starts again.
      const imported = body.fork ? [] : await terminalEvents(history, sessions.list().find((s) => s.id === entry.sessionId));
      return { ...policy.createInput({ ...body, workingDirectory: recorded }), ...(imported.length ? { imported } : {}) };
    },
    hasTranscript: async (sessionId) => (history ? (await history.find(sessionId)) !== undefined : false),
    isTerminalLive: async (sessionId) => (history ? (await history.liveProcess(sessionId)) !== undefined : false),
    async write(sessionId, fn) {
      try {
        return await fn();
      } catch (err) {
        // One of ours that is closed, or a transcript only: a terminal writing it now owns it.
        if (!history || !isCompanionError(err) || (err.code !== "SESSION_NOT_FOUND" && err.code !== "SESSION_CLOSED")) throw err;
        const entry = await history.find(sessionId);
        if (!entry) throw err;
        const live = await history.liveProcess(entry.sessionId);
        if (live) throw new CompanionError("TERMINAL_OWNS_SESSION", { sessionId: entry.sessionId, pid: live.pid }, { fork: true, resume: false });
        if (err.code === "SESSION_CLOSED") throw err;
        throw new CompanionError("SESSION_READ_ONLY", { sessionId: entry.sessionId }, { resume: true });
      }
    },
  };
}
