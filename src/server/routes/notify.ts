// Notification routes: channels and tests (/api/notify/*, master token), Web Push subscriptions (/api/push/*), action URLs (no token).
import type { Polka } from "polka";
import {
  ACTION_PATH_PREFIX,
  AddChannelRequestSchema,
  CompanionError,
  PushSubscriptionRequestSchema,
  PushUnsubscribeRequestSchema,
} from "../../protocol/index.js";
import type { NotifyService } from "../../notify/index.js";
import { readJsonBody, sendJson } from "../http-utils.js";
import { clientAddress, type AuthedRequest } from "../middleware.js";
import type { RateLimiter } from "../rate-limit.js";
import { parseInput } from "../validate.js";
import { requireMaster } from "./pairing.js";

/** What the server needs of the notify room (src/notify implements it). */
export type NotifyRouteDeps = Pick<
  NotifyService,
  "act" | "listChannels" | "addChannel" | "removeChannel" | "testChannels" | "vapidPublicKey" | "subscribe" | "unsubscribe"
>;

const deviceOf = (req: unknown) => (req as AuthedRequest).principal?.id ?? "master";
const BODY_LIMIT = 8192;

export function registerNotifyRoutes(app: Polka, deps: NotifyRouteDeps, attempts: RateLimiter): void {
  // The URL is the credential (128 bits, single use): no bearer token, so the ntfy app can call it.
  app.post(`${ACTION_PATH_PREFIX}:token`, (req, res) => {
    const address = clientAddress(req);
    const wait = attempts.blockedFor(address);
    if (wait > 0) throw new CompanionError("RATE_LIMITED", { retryAfter: wait });
    try {
      sendJson(res, 200, deps.act(req.params.token ?? ""));
    } catch (e) {
      // Guessing is limited like failed logins.
      if (e instanceof CompanionError && e.code === "ACTION_URL_UNKNOWN") attempts.take(address);
      throw e;
    }
  });

  app.get("/api/notify/channels", (req, res) => {
    requireMaster(req);
    sendJson(res, 200, { channels: deps.listChannels() });
  });
  app.post("/api/notify/channels", async (req, res) => {
    requireMaster(req);
    const body = parseInput(AddChannelRequestSchema, await readJsonBody(req, BODY_LIMIT), "body");
    sendJson(res, 201, deps.addChannel(body));
  });
  app.delete("/api/notify/channels/:id", (req, res) => {
    requireMaster(req);
    deps.removeChannel(req.params.id ?? "");
    sendJson(res, 200, { removed: 1 });
  });
  app.post("/api/notify/test", async (req, res) => {
    requireMaster(req);
    sendJson(res, 200, { results: await deps.testChannels() });
  });
  app.post("/api/notify/test/:id", async (req, res) => {
    requireMaster(req);
    sendJson(res, 200, { results: await deps.testChannels(req.params.id ?? "") });
  });

  app.get("/api/push/vapid-public-key", (_req, res) => sendJson(res, 200, { publicKey: deps.vapidPublicKey() }));
  app.post("/api/push/subscriptions", async (req, res) => {
    const body = parseInput(PushSubscriptionRequestSchema, await readJsonBody(req, BODY_LIMIT), "body");
    deps.subscribe(deviceOf(req), body);
    sendJson(res, 201, { subscribed: true });
  });
  app.delete("/api/push/subscriptions", async (req, res) => {
    const body = parseInput(PushUnsubscribeRequestSchema, await readJsonBody(req, BODY_LIMIT), "body");
    sendJson(res, 200, { removed: deps.unsubscribe(deviceOf(req), body.endpoint) });
  });
}
