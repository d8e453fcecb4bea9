// Pairing and devices: POST /api/pair (pairing token -> device token), pairing codes, device revocation (master token) and self-unpairing.
import type { Polka } from "polka";
import type { Logger } from "pino";
import { CompanionError, PairingCodeRequestSchema, PairRequestSchema, type PairingVia } from "../../protocol/index.js";
import { readJsonBody, sendJson } from "../http-utils.js";
import { clientAddress, type AuthedRequest } from "../middleware.js";
import type { RateLimiter } from "../rate-limit.js";
import { parseInput } from "../validate.js";

export interface PairingRouteDeps {
  /** Redeems the pairing token (single use) and pairs a device; throws PAIRING_TOKEN_* or BAD_REQUEST. */
  pair(pairingToken: string, deviceName: string): { deviceId: string; deviceToken: string; deviceName: string };
  issuePairingCode(via?: PairingVia): { pairingToken: string; expiresAt: number; url: string; fingerprint: string | null; via: PairingVia };
  listDevices(): unknown[];
  revokeDevice(id: string): boolean;
  revokeAllDevices(): number;
  /** Limits pairing attempts per address, counted when they start (a brute-force guard; a success gives its attempt back). */
  attempts: RateLimiter;
  logger: Logger;
}

export const PAIR_PATH = "/api/pair";

/** Throws UNAUTHORIZED unless the request carries the master token. */
export function requireMaster(req: unknown): void {
  if ((req as AuthedRequest).principal?.kind !== "master") {
    throw new CompanionError("UNAUTHORIZED", {}, { reason: "this needs the master token (claude-companion token)" });
  }
}

export function registerPairingRoutes(app: Polka, deps: PairingRouteDeps, maxBodyBytes: number): void {
  app.post(PAIR_PATH, async (req, res) => {
    const address = clientAddress(req);
    // Counted before the body is read: concurrent attempts cannot all pass a check made before any was counted.
    const wait = deps.attempts.take(address);
    if (wait > 0) throw new CompanionError("RATE_LIMITED", { retryAfter: wait });
    const body = parseInput(PairRequestSchema, await readJsonBody(req, Math.min(maxBodyBytes, 4096)), "body");
    const paired = deps.pair(body.pairingToken, body.deviceName);
    deps.attempts.giveBack(address);
    deps.logger.info({ deviceId: paired.deviceId, deviceName: paired.deviceName, address }, "device paired");
    sendJson(res, 200, paired);
  });

  app.post("/api/pairing-codes", async (req, res) => {
    requireMaster(req);
    const body = parseInput(PairingCodeRequestSchema, (await readJsonBody(req, 1024)) ?? {}, "body");
    sendJson(res, 201, deps.issuePairingCode(body.via));
  });

  app.get("/api/devices", (_req, res) => sendJson(res, 200, { devices: deps.listDevices() }));

  // A device unpairs itself ("Unpair this phone"). Registered before /:id, which would take "self" as an id.
  app.delete("/api/devices/self", (req, res) => {
    const principal = (req as AuthedRequest).principal;
    if (principal?.kind !== "device") throw new CompanionError("NOT_A_DEVICE");
    if (!deps.revokeDevice(principal.id)) throw new CompanionError("UNAUTHORIZED");
    deps.logger.info({ deviceId: principal.id }, "device unpaired itself");
    sendJson(res, 200, { revoked: 1 });
  });

  app.delete("/api/devices/:id", (req, res) => {
    requireMaster(req);
    const id = req.params.id ?? "";
    if (!deps.revokeDevice(id)) throw new CompanionError("NOT_FOUND", { method: "DELETE", path: `/api/devices/${id.slice(0, 64)}` });
    sendJson(res, 200, { revoked: 1 });
  });

  app.delete("/api/devices", (req, res) => {
    requireMaster(req);
    sendJson(res, 200, { revoked: deps.revokeAllDevices() });
  });
}
