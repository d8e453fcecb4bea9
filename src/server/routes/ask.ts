// POST /api/ask: a one-shot query that waits for the result.
import type { Polka } from "polka";
import { AskRequestSchema } from "../../protocol/index.js";
import type { SessionManager } from "../../sessions/index.js";
import { readJsonBody, sendJson } from "../http-utils.js";
import { runAskRequest, type SessionPolicy } from "../session-policy.js";
import { parseInput } from "../validate.js";

export interface AskRouteDeps {
  sessions: SessionManager;
  policy: SessionPolicy;
  maxBodyBytes: number;
}

export function registerAskRoutes(app: Polka, deps: AskRouteDeps): void {
  app.post("/api/ask", async (req, res) => {
    const body = parseInput(AskRequestSchema, await readJsonBody(req, deps.maxBodyBytes), "body");
    sendJson(res, 200, await runAskRequest(deps.sessions, deps.policy, body));
  });
}
