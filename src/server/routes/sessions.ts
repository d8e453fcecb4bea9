// Sessions over REST: start, send, interrupt, close, list, details and event history.
import type { Polka } from "polka";
import {
  EventsQuerySchema,
  SessionIdSchema,
  StreamSendRequestSchema,
  StreamStartRequestSchema,
} from "../../protocol/index.js";
import type { SessionManager } from "../../sessions/index.js";
import { readJsonBody, sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";
import type { HistoryPolicy } from "../history-policy.js";
import type { SessionPolicy } from "../session-policy.js";

export interface SessionRouteDeps {
  sessions: SessionManager;
  policy: SessionPolicy;
  historyPolicy: HistoryPolicy;
  maxBodyBytes: number;
}

const sessionId = (raw: string | undefined) => parseInput(SessionIdSchema, raw, "params");

export function registerSessionRoutes(app: Polka, deps: SessionRouteDeps): void {
  const { sessions } = deps;

  app.post("/api/stream/start", async (req, res) => {
    const body = parseInput(StreamStartRequestSchema, (await readJsonBody(req, deps.maxBodyBytes)) ?? {}, "body");
    const session = await sessions.create(await deps.historyPolicy.startInput(body));
    sendJson(res, 201, session.info());
  });

  app.post("/api/stream/:id/interrupt", async (req, res) => {
    const id = sessionId(req.params.id);
    await readJsonBody(req, deps.maxBodyBytes);
    const r = await sessions.interrupt(id);
    sendJson(res, 200, { sessionId: id, ...r });
  });

  app.post("/api/stream/:id", async (req, res) => {
    const id = sessionId(req.params.id);
    const body = parseInput(StreamSendRequestSchema, await readJsonBody(req, deps.maxBodyBytes), "body");
    const r = await deps.historyPolicy.write(id, () => sessions.send(id, { text: body.prompt, ...(body.images ? { images: body.images } : {}) }));
    sendJson(res, 202, { accepted: true, ...r });
  });

  app.delete("/api/stream/:id", async (req, res) => {
    const id = sessionId(req.params.id);
    sessions.get(id);
    await sessions.closeSession(id);
    sendJson(res, 200, { closed: true, sessionId: id });
  });

  app.get("/api/sessions", (_req, res) => sendJson(res, 200, { sessions: sessions.list().map((s) => s.info()) }));

  app.get("/api/sessions/:id", (req, res) => sendJson(res, 200, sessions.get(sessionId(req.params.id)).info()));

  app.get("/api/sessions/:id/events", (req, res) => {
    const session = sessions.get(sessionId(req.params.id));
    const q = parseInput(EventsQuerySchema, { ...req.query }, "query");
    const r = session.log.after(q.after, q.limit);
    // Records carry their JSON already: splice it in rather than serialising every event again.
    const last = r.records.at(-1)?.event.seq ?? q.after;
    const payload =
      `{"sessionId":${JSON.stringify(session.id)},"gap":${r.gap},"firstSeq":${r.firstSeq},"lastSeq":${r.lastSeq},` +
      `"nextAfter":${last},"hasMore":${last < r.lastSeq},"events":[${r.records.map((x) => x.json).join(",")}]}`;
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(payload) });
    res.end(payload);
  });
}

