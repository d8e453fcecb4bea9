// GET /api/models: the models the Claude Code CLI reports, for the model picker (a free field takes any other name).
import type { Polka } from "polka";
import type { SessionManager } from "../../sessions/index.js";
import { sendJson } from "../http-utils.js";

export function registerModelRoutes(app: Polka, deps: { sessions: Pick<SessionManager, "models"> }): void {
  app.get("/api/models", (_req, res) => {
    sendJson(res, 200, deps.sessions.models());
  });
}
