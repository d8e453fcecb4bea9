// POST /api/ask (one-shot query, waits for the result) and POST /api/permission/:id.
import type { Polka } from "polka";
import { AskRequestSchema, CompanionError, PermissionAnswerSchema } from "../../protocol/index.js";
import type { SessionManager } from "../../sessions/index.js";
import { readJsonBody, sendJson } from "../http-utils.js";
import type { AuthedRequest } from "../middleware.js";
import { runAskRequest, type SessionPolicy } from "../session-policy.js";
import { parseInput } from "../validate.js";

export interface AskRouteDeps {
  sessions: SessionManager;
  policy: SessionPolicy;
  maxBodyBytes: number;
}

/** Answers a permission by its id, wherever it is pending: ids are Claude's request UUIDs, unique across sessions. */
export function answerPermissionAnywhere(
  sessions: SessionManager,
  permissionId: string,
  answer: Parameters<SessionManager["answerPermission"]>[2],
  client: string,
): { sessionId: string } {
  let notPending: unknown;
  for (const s of sessions.list()) {
    if (s.state === "closed") continue;
    try {
      sessions.answerPermission(s.id, permissionId, answer, client);
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
}

export function registerAskRoutes(app: Polka, deps: AskRouteDeps): void {
  app.post("/api/ask", async (req, res) => {
    const body = parseInput(AskRequestSchema, await readJsonBody(req, deps.maxBodyBytes), "body");
    sendJson(res, 200, await runAskRequest(deps.sessions, deps.policy, body));
  });

  app.post("/api/permission/:id", async (req, res) => {
    const permissionId = req.params.id ?? "";
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(permissionId)) {
      throw new CompanionError("BAD_REQUEST", { reason: "params.id: must be a permission id" }, { path: "params.id" });
    }
    const body = parseInput(PermissionAnswerSchema, await readJsonBody(req, deps.maxBodyBytes), "body");
    const who = (req as AuthedRequest).principal?.label ?? "unknown";
    const { sessionId } = answerPermissionAnywhere(deps.sessions, permissionId, body, who);
    sendJson(res, 200, { permissionId, sessionId, decision: body.decision });
  });
}
