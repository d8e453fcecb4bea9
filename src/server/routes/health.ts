// GET /health (no auth) and GET /api/info (auth).
import type { Polka } from "polka";
import type { HealthResponse, InfoResponse } from "../../protocol/index.js";
import { sendJson } from "../http-utils.js";

export interface HealthDeps {
  health(): HealthResponse;
  info(): InfoResponse;
}

export function registerHealthRoutes(app: Polka, deps: HealthDeps): void {
  app.get("/health", (_req, res) => sendJson(res, 200, deps.health()));
  app.get("/api/info", (_req, res) => sendJson(res, 200, deps.info()));
}
