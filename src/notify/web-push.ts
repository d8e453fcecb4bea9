// Web Push: the VAPID key pair (made on first use, kept in notify.json 0600) and sending one encrypted payload.
import { createHash } from "node:crypto";
import webpush from "web-push";
import type { Notification } from "../protocol/index.js";
import type { FetchLike } from "./ntfy.js";
import type { NotifyStore, StoredSubscription } from "./store.js";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** A contact push services may use; web-push wants an https: or mailto: subject. */
const VAPID_SUBJECT = "mailto:claude-companion@users.noreply.github.com";

export function ensureVapidKeys(store: NotifyStore): VapidKeys {
  const existing = store.read().vapid;
  if (existing) return existing;
  const keys = webpush.generateVAPIDKeys();
  store.update((f) => {
    f.vapid ??= keys;
  });
  return store.read().vapid ?? keys;
}

/** Push services replace an undelivered message that has the same Topic (at most 32 base64url characters). */
const topicOf = (tag: string) => createHash("sha256").update(tag).digest("base64url").slice(0, 32);

/** Sends one payload; "gone" when the push service says the subscription no longer exists (404, 410). */
export async function sendWebPush(fetchFn: FetchLike, sub: StoredSubscription, n: Notification, vapid: VapidKeys): Promise<"ok" | "gone"> {
  const details = webpush.generateRequestDetails({ endpoint: sub.endpoint, keys: sub.keys }, JSON.stringify(n), {
    vapidDetails: { subject: VAPID_SUBJECT, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    TTL: n.kind === "permission" ? 600 : 3600,
    urgency: n.kind === "done" ? "normal" : "high",
    topic: topicOf(n.tag),
  });
  const res = await fetchFn(details.endpoint, {
    method: details.method,
    headers: details.headers as Record<string, string>,
    body: details.body as Uint8Array,
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel();
  if (res.status === 404 || res.status === 410) return "gone";
  if (!res.ok) throw new Error(`the push service answered HTTP ${res.status}`);
  return "ok";
}
