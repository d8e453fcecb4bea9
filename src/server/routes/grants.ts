// A session's grants over REST: revoke one ("Always allow" rules, directories, a mode; the list is SessionInfo.grants).
import type { Polka } from "polka";
import { GrantIdSchema, SessionIdSchema, type GrantRevokeResponse } from "../../protocol/index.js";
import type { SessionManager } from "../../sessions/index.js";
import { sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";

export function registerGrantRoutes(app: Polka, deps: { sessions: SessionManager }): void {
  const { sessions } = deps;

  app.delete("/api/sessions/:id/grants/:grantId", async (req, res) => {
    const id = parseInput(SessionIdSchema, req.params.id, "params");
    const grantId = parseInput(GrantIdSchema, req.params.grantId, "params");
    const session = sessions.get(id);
    const { restarted } = await session.revokeGrant(grantId);
    const body: GrantRevokeResponse = { revoked: true, sessionId: id, grantId, grants: session.grants, restarted };
    sendJson(res, 200, body);
  });
}
