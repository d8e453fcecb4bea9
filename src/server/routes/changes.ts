// The Changes view over REST: a session's changed files, one file's diff, and the read-only file viewer (roots only).
import type { Polka } from "polka";
import { PathQuerySchema, SessionIdSchema } from "../../protocol/index.js";
import type { Changes, ChangedSession } from "../../changes/index.js";
import type { Session, SessionManager } from "../../sessions/index.js";
import { sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";

export interface ChangesRouteDeps {
  sessions: SessionManager;
  changes: Changes;
}

// Only tool uses matter here: the other records are not parsed.
function changedSession(session: Session): ChangedSession {
  return {
    id: session.id,
    workingDirectory: session.info().workingDirectory,
    *events() {
      for (const r of session.log.after(0).records) if (r.json.includes('"streamToolUse"')) yield r.event;
    },
  };
}

export function registerChangesRoutes(app: Polka, deps: ChangesRouteDeps): void {
  const sessionOf = (raw: string | undefined) => changedSession(deps.sessions.get(parseInput(SessionIdSchema, raw, "params")));

  app.get("/api/sessions/:id/changes", async (req, res) => {
    sendJson(res, 200, await deps.changes.list(sessionOf(req.params.id)));
  });

  app.get("/api/sessions/:id/diff", async (req, res) => {
    const session = sessionOf(req.params.id);
    const q = parseInput(PathQuerySchema, { ...req.query }, "query");
    sendJson(res, 200, await deps.changes.diff(session, q.path));
  });

  app.get("/api/files", async (req, res) => {
    const q = parseInput(PathQuerySchema, { ...req.query }, "query");
    sendJson(res, 200, await deps.changes.file(q.path));
  });
}
