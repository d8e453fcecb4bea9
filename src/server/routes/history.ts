// Claude Code's transcripts over REST: the history list and one session's events.
import type { Polka } from "polka";
import { EventsQuerySchema, HistoryQuerySchema, SessionIdSchema } from "../../protocol/index.js";
import type { History } from "../../history/index.js";
import type { SessionManager } from "../../sessions/index.js";
import { HANDOFF_REASON } from "../../protocol/constants.js";
import { readJsonBody } from "../http-utils.js";
import { sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";

export function registerHistoryRoutes(app: Polka, history: History, sessions: SessionManager, maxBodyBytes: number): void {
  // `claude-companion resume <id>`: the daemon stops its own process for the session before the terminal resumes it.
  app.post("/api/history/:id/handoff", async (req, res) => {
    const id = parseInput(SessionIdSchema, req.params.id, "params");
    await readJsonBody(req, maxBodyBytes);
    const entry = await history.get(id);
    const own = sessions.list().find((s) => s.id === entry.sessionId);
    const released = own !== undefined && own.state !== "closed";
    // Where the transcript stands now: the terminal's part starts after it (followed, and imported on resume).
    if (own) await sessions.handOff(own.id, HANDOFF_REASON, { transcriptSeq: (await history.feed(entry.sessionId)).lastSeq() });
    sendJson(res, 200, { sessionId: entry.sessionId, released, workingDirectory: entry.workingDirectory, resumeCommand: (await history.describe(entry)).resumeCommand });
  });

  app.get("/api/history", async (req, res) => {
    const q = parseInput(HistoryQuerySchema, { ...req.query }, "query");
    sendJson(res, 200, await history.list(q));
  });

  app.get("/api/history/:id/events", async (req, res) => {
    const id = parseInput(SessionIdSchema, req.params.id, "params");
    const q = parseInput(EventsQuerySchema, { ...req.query }, "query");
    const feed = await history.feed(id);
    const r = feed.after(q.after, q.limit);
    const last = r.records.at(-1)?.event.seq ?? Math.min(q.after, r.lastSeq);
    const live = (await history.liveProcess(id)) !== undefined;
    const payload =
      `{"sessionId":${JSON.stringify(feed.sessionId)},"lastSeq":${r.lastSeq},"nextAfter":${last},"hasMore":${last < r.lastSeq},` +
      `"live":${live},"events":[${r.records.map((x) => x.json).join(",")}]}`;
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(payload) });
    res.end(payload);
  });
}
