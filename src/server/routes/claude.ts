// GET /api/claude/status and POST /api/claude/test.
import type { Polka } from "polka";
import { sendJson } from "../http-utils.js";

export interface ClaudeRouteDeps {
  claudeStatus(): Promise<{ available: boolean; version: string | null; path: string | null; checking: boolean; error?: string }>;
  claudeTest(): Promise<{ ok: boolean; latencyMs: number; version: string | null; error?: string }>;
}

export function registerClaudeRoutes(app: Polka, deps: ClaudeRouteDeps): void {
  app.get("/api/claude/status", async (_req, res) => sendJson(res, 200, await deps.claudeStatus()));
  app.post("/api/claude/test", async (_req, res) => sendJson(res, 200, await deps.claudeTest()));
}
