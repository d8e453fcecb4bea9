// GET /api/sessions/:id/commands: the slash commands and skills the session's Claude Code offers (the composer's `/`).
import type { Polka } from "polka";
import { SessionIdSchema } from "../../protocol/index.js";
import { listSessionCommands, type SessionManager } from "../../sessions/index.js";
import { sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";

export function registerCommandRoutes(app: Polka, deps: { sessions: SessionManager }): void {
  app.get("/api/sessions/:id/commands", async (req, res) => {
    const id = parseInput(SessionIdSchema, req.params.id, "params");
    sendJson(res, 200, await listSessionCommands(deps.sessions.get(id)));
  });
}
