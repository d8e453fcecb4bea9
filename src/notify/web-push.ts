// Web Push: the VAPID key pair (made on first use, kept in notify.json 0600) and sending one encrypted payload.
// web-push (and its bn.js / asn1.js) loads with the first push sent, not with the daemon (issue 20: idle memory).
import { createECDH, createHash } from "node:crypto";
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
  const keys = generateVapidKeys();
  store.update((f) => {
    f.vapid ??= keys;
  });
  return store.read().vapid ?? keys;
}

/** What web-push's generateVAPIDKeys does (a P-256 pair, raw and base64url, padded to 32 / 65 bytes), without loading it. */
function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const pad = (b: Buffer, n: number) => (b.length < n ? Buffer.concat([Buffer.alloc(n - b.length), b]) : b);
  return { publicKey: pad(ecdh.getPublicKey(), 65).toString("base64url"), privateKey: pad(ecdh.getPrivateKey(), 32).toString("base64url") };
}

/** Push services replace an undelivered message that has the same Topic (at most 32 base64url characters). */
const topicOf = (tag: string) => createHash("sha256").update(tag).digest("base64url").slice(0, 32);

/** Sends one payload; "gone" when the push service says the subscription no longer exists (404, 410). */
export async function sendWebPush(fetchFn: FetchLike, sub: StoredSubscription, n: Notification, vapid: VapidKeys): Promise<"ok" | "gone"> {
  const { default: webpush } = await import("web-push");
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
