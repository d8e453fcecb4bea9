// POST /api/token/rotate: replace the master token at once (master token only; paired devices keep working;
// TOKEN_FROM_ENV when it comes from AUTH_TOKEN).
import type { Polka } from "polka";
import { CompanionError } from "../../protocol/index.js";
import { sendJson } from "../http-utils.js";
import type { AuthedRequest } from "../middleware.js";

export function registerTokenRoutes(app: Polka, deps: { rotateMasterToken(): void }): void {
  app.post("/api/token/rotate", (req, res) => {
    if ((req as AuthedRequest).principal?.kind !== "master") throw new CompanionError("UNAUTHORIZED");
    deps.rotateMasterToken();
    sendJson(res, 200, { rotated: true });
  });
}
