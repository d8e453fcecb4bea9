// Session frames over WebSocket: subscriptions with replay by seq, fan-out of live events, commands on sessions.
import type { Logger } from "pino";
import type { z } from "zod";
import {
  CLIENT_FRAMES,
  CompanionError,

  SessionIdSchema,
  WS_MAX_BUFFERED,
  type ClientFrameType,
  type Envelope,
} from "../../protocol/index.js";
import type { LogRecord, Session, SessionManager } from "../../sessions/index.js";
import type { HistoryPolicy } from "../history-policy.js";
import { runAskRequest, type SessionPolicy } from "../session-policy.js";
import { handedToTerminal } from "../handoff.js";
import type { HistoryHub } from "./history-hub.js";
import { sendReplay, type ReplayHow } from "./replay.js";
import { parseInput } from "../validate.js";
import { closeWith, type Connection, type FrameHandler } from "./connection.js";

export interface SessionHubOptions {
  sessions: SessionManager;
  policy: SessionPolicy;
  logger: Logger;
  /** Every open connection (for broadcasts of sessionUpdate). */
  connections: () => Iterable<Connection>;
  maxBuffered?: number;
  /** Claude Code transcripts: resume in the recorded directory, read-only refusals, live mirrors. */
  historyPolicy: HistoryPolicy;
  historyHub?: HistoryHub;
}

export interface SessionHub {
  readonly handlers: ReadonlyMap<string, FrameHandler>;
  onDisconnect(conn: Connection): void;
  close(): void;
}

const SUBS = "subscriptions";
const subsOf = (conn: Connection): Set<string> => {
  let s = conn.state.get(SUBS) as Set<string> | undefined;
  if (!s) conn.state.set(SUBS, (s = new Set()));
  return s;
};

export function createSessionHub(options: SessionHubOptions): SessionHub {
  const { sessions, policy, historyPolicy, historyHub } = options;
  const logger = options.logger.child({ room: "ws" });
  const maxBuffered = options.maxBuffered ?? WS_MAX_BUFFERED;
  const subscribers = new Map<string, Set<Connection>>();

  /** Sends pre-serialised JSON; a client that cannot keep up is cut off (1013) and resumes by seq. */
  const deliver = (conn: Connection, json: string) => {
    conn.sendRaw(json);
    checkBacklog(conn);
  };
  const checkBacklog = (conn: Connection) => {
    const buffered = conn.socket.bufferedAmount;
    if (buffered > maxBuffered && !conn.state.has("cut")) {
      conn.state.set("cut", true);
      logger.warn({ connectionId: conn.id, buffered }, "slow consumer disconnected");
      closeWith(conn, new CompanionError("SLOW_CONSUMER", { buffered }));
      // The close frame waits behind the backlog; a peer that never reads is dropped.
      setTimeout(() => conn.socket.terminate(), 10_000).unref();
    }
  };

  // Live events come in bursts (one Claude stdout chunk holds many lines): the sockets they go to are corked
  // until the end of the tick, so a burst costs one write per client instead of one per event.
  const corked = new Set<Connection>();
  const flush = () => {
    for (const c of corked) {
      c.uncork();
      // Measured after the write: what is still unsent is the client's backlog.
      checkBacklog(c);
    }
    corked.clear();
  };
  const deliverLive = (conn: Connection, json: string) => {
    if (!corked.has(conn)) {
      if (corked.size === 0) process.nextTick(flush);
      corked.add(conn);
      conn.cork();
    }
    conn.sendRaw(json);
  };

  /** A permission of a session the socket does not follow: the session's current state, with the reason. */
  const permissionNotice = (sessionId: string, type: "permissionRequest" | "permissionResolved") => {
    const s = sessions.get(sessionId);
    return { state: s.state, reason: type === "permissionRequest" ? "permission-requested" : "permission-resolved", queueLength: s.queueLength };
  };

  const unsubscribeFromEvents = sessions.onEvent((record: LogRecord) => {
    const { sessionId, type } = record.event;
    // A handed-off session resumed here: who followed the terminal now gets the session's own events (a gap since
    // the last terminal event they saw makes them resubscribe; the replay brings the imported turns).
    if (type === "sessionUpdate" && record.event.data.state !== "closed" && historyHub) {
      for (const c of historyHub.takeHandedOff(sessionId)) attach(c, sessionId);
    }
    const subs = subscribers.get(sessionId);
    if (subs) for (const c of subs) deliverLive(c, record.json);
    if (type === "sessionUpdate" || type === "permissionRequest" || type === "permissionResolved") {
      // Everyone else gets a notice without seq so session lists (and their waiting-approval badges) stay current.
      let notice: string | undefined;
      for (const c of options.connections()) {
        if (subs?.has(c)) continue;
        notice ??= JSON.stringify({ type: "sessionNotice", sessionId, data: type === "sessionUpdate" ? record.event.data : permissionNotice(sessionId, type) });
        deliverLive(c, notice);
      }
    }
  });

  /** Replays what the client missed and attaches it, in one synchronous step so no live event slips between. */
  const subscribe = (conn: Connection, session: Session, lastSeq: number, requestId?: string, how: ReplayHow = {}) => {
    unsubscribe(conn, session.id);
    historyHub?.unsubscribe(conn, session.id);
    const r = session.log.after(lastSeq);
    const gap = r.gap || lastSeq > r.lastSeq;
    const records = lastSeq > r.lastSeq ? session.log.after(0).records : r.records;
    if (gap) conn.send({ type: "sessionSnapshot", requestId, sessionId: session.id, data: session.info() });
    sendReplay(records, { batch: how.batch ?? false, omitStreamEvents: how.omitStreamEvents ?? false, sessionId: session.id, requestId, send: (json) => deliver(conn, json) });
    conn.send({
      type: "replayComplete",
      requestId,
      sessionId: session.id,
      data: {
        fromSeq: records[0]?.event.seq ?? r.lastSeq + 1,
        toSeq: r.lastSeq,
        gap,
        pendingPermissions: session.info().pendingPermissions,
      },
    });
    attach(conn, session.id);
  };

  const attach = (conn: Connection, sessionId: string) => {
    let set = subscribers.get(sessionId);
    if (!set) subscribers.set(sessionId, (set = new Set()));
    set.add(conn);
    subsOf(conn).add(sessionId);
  };

  const unsubscribe = (conn: Connection, sessionId: string) => {
    subscribers.get(sessionId)?.delete(conn);
    if (subscribers.get(sessionId)?.size === 0) subscribers.delete(sessionId);
    subsOf(conn).delete(sessionId);
  };

  type Handler<T extends ClientFrameType> = (
    conn: Connection,
    data: z.infer<(typeof CLIENT_FRAMES)[T]["data"]>,
    ctx: { requestId?: string; sessionId: string },
  ) => void | Promise<void>;

  const handlers = new Map<string, FrameHandler>();
  const on = <T extends ClientFrameType>(type: T, fn: Handler<T>) => {
    const spec = CLIENT_FRAMES[type];
    handlers.set(type, (conn: Connection, frame: Envelope) => {
      const sessionId = spec.session ? parseInput(SessionIdSchema, frame.sessionId, "data") : (frame.sessionId ?? "");
      const data = parseInput(spec.data, frame.data, "data") as z.infer<(typeof CLIENT_FRAMES)[T]["data"]>;
      return fn(conn, data, { requestId: frame.requestId, sessionId });
    });
  };
  const ack = (conn: Connection, command: string, ctx: { requestId?: string; sessionId: string }, extra: object = {}) =>
    conn.send({ type: "ack", requestId: ctx.requestId, ...(ctx.sessionId ? { sessionId: ctx.sessionId } : {}), data: { command, ...extra } });

  on("ping", (conn, _data, ctx) => {
    // A ping naming a session is a keep-alive: it refreshes that session's idle timer.
    if (ctx.sessionId && SessionIdSchema.safeParse(ctx.sessionId).success) {
      try {
        sessions.keepAlive(ctx.sessionId);
      } catch {
        /* unknown session: the ping still gets its pong */
      }
    }
    conn.send({ type: "pong", requestId: ctx.requestId, data: { ts: Date.now() } });
  });

  on("streamStart", async (conn, data, ctx) => {
    const session = await sessions.create(await historyPolicy.startInput(data));
    conn.send({ type: "streamStarted", requestId: ctx.requestId, sessionId: session.id, data: session.info() });
    subscribe(conn, session, 0, ctx.requestId);
  });

  on("streamSend", async (conn, data, ctx) => {
    const r = await historyPolicy.write(ctx.sessionId, () => sessions.send(ctx.sessionId, { text: data.prompt, ...(data.images ? { images: data.images } : {}) }));
    ack(conn, "streamSend", ctx, r);
  });

  on("streamClose", async (conn, _data, ctx) => {
    sessions.get(ctx.sessionId);
    await sessions.closeSession(ctx.sessionId);
    ack(conn, "streamClose", ctx);
  });

  on("subscribe", async (conn, data, ctx) => {
    const own = sessions.list().find((s) => s.id === ctx.sessionId);
    const handed = own?.state === "closed" ? handedToTerminal(own) : undefined;
    // Ours handed to a terminal: its own events, then the terminal's, numbered on (see PROTOCOL.md).
    if (historyHub && own && handed?.transcriptSeq !== undefined && (await historyPolicy.hasTranscript(own.id))) {
      unsubscribe(conn, own.id);
      return historyHub.followHandedOff(conn, { sessionId: own.id, log: own.log, transcriptSeq: handed.transcriptSeq }, data?.lastSeq ?? 0, ctx.requestId, data ?? {});
    }
    // A transcript no daemon session runs (a terminal's, or ours handed to a terminal) is followed from its file.
    if (historyHub && (!own || (own.state === "closed" && (handed || (await historyPolicy.isTerminalLive(ctx.sessionId)))))) {
      return historyHub.subscribe(conn, ctx.sessionId, data?.lastSeq ?? 0, ctx.requestId, data ?? {});
    }
    subscribe(conn, sessions.get(ctx.sessionId), data?.lastSeq ?? 0, ctx.requestId, data ?? {});
  });

  on("unsubscribe", (conn, _data, ctx) => {
    unsubscribe(conn, ctx.sessionId);
    historyHub?.unsubscribe(conn, ctx.sessionId);
    ack(conn, "unsubscribe", ctx);
  });

  on("permission", (conn, data, ctx) => {
    const { permissionId, ...answer } = data;
    sessions.answerPermission(ctx.sessionId, permissionId, answer, conn.principal.label);
    ack(conn, "permission", ctx);
  });

  on("interrupt", async (conn, _data, ctx) => {
    await sessions.interrupt(ctx.sessionId);
    ack(conn, "interrupt", ctx);
  });

  on("setPermissionMode", async (conn, data, ctx) => {
    await sessions.setPermissionMode(ctx.sessionId, data.mode);
    ack(conn, "setPermissionMode", ctx);
  });

  on("setModel", async (conn, data, ctx) => {
    await sessions.setModel(ctx.sessionId, data.model);
    ack(conn, "setModel", ctx);
  });

  on("sessions", (conn, _data, ctx) => {
    conn.send({ type: "sessions", requestId: ctx.requestId, data: { sessions: sessions.list().map((s) => s.info()) } });
  });

  on("ask", async (conn, data, ctx) => {
    // The asking client sees the ask's events, so it can answer its permission prompts.
    const r = await runAskRequest(sessions, policy, data, (s) => subscribe(conn, s, 0, ctx.requestId));
    conn.send({ type: "askResponse", requestId: ctx.requestId, sessionId: r.sessionId, data: r });
  });

  return {
    handlers,
    onDisconnect(conn) {
      for (const id of [...subsOf(conn)]) unsubscribe(conn, id);
      historyHub?.onDisconnect(conn);
    },
    close() {
      unsubscribeFromEvents();
      subscribers.clear();
      historyHub?.close();
    },
  };
}

