// POST /api/permission/:id: answers a pending permission by its id alone, in whichever session it is pending.
import type { Polka } from "polka";
import { CompanionError, PermissionAnswerSchema } from "../../protocol/index.js";
import type { SessionManager } from "../../sessions/index.js";
import { readJsonBody, sendJson } from "../http-utils.js";
import type { AuthedRequest } from "../middleware.js";
import { parseInput } from "../validate.js";

export interface PermissionRouteDeps {
  sessions: SessionManager;
  maxBodyBytes: number;
}

export function registerPermissionRoutes(app: Polka, deps: PermissionRouteDeps): void {
  app.post("/api/permission/:id", async (req, res) => {
    const permissionId = req.params.id ?? "";
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(permissionId)) {
      throw new CompanionError("BAD_REQUEST", { reason: "params.id: must be a permission id" }, { path: "params.id" });
    }
    const body = parseInput(PermissionAnswerSchema, await readJsonBody(req, deps.maxBodyBytes), "body");
    const who = (req as AuthedRequest).principal?.label ?? "unknown";
    const { sessionId } = deps.sessions.answerPermissionAnywhere(permissionId, body, who);
    sendJson(res, 200, { permissionId, sessionId, decision: body.decision });
  });
}
