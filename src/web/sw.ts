// The service worker (served as /sw.js): shows pushed notifications with Allow/Deny and answers them with the device token.
import type { Notification as Payload } from "../protocol/notify.js";
import { saveShared, SHARE_PATH } from "./share-inbox.js";
import { loadWorkerToken } from "./token-db.js";

interface NotificationLike {
  data: unknown;
  tag: string;
  close(): void;
}
interface Scope {
  addEventListener(type: string, listener: (event: any) => void): void;
  registration: ServiceWorkerRegistration;
  clients: { matchAll(o: object): Promise<{ url: string; focus(): Promise<unknown>; navigate(u: string): Promise<unknown> }[]>; openWindow(u: string): Promise<unknown> };
  skipWaiting(): Promise<void>;
}
const sw = self as unknown as Scope;

/** Events we dispatch ourselves (tests) are not trusted and refuse waitUntil; the work runs anyway. */
const keep = (event: { waitUntil(p: Promise<unknown>): void }, work: Promise<unknown>) => {
  try {
    event.waitUntil(work);
  } catch {
    // untrusted event
  }
  return work;
};

async function show(n: Payload): Promise<void> {
  if (n.withdrawn) {
    // The permission was answered elsewhere: no stale Allow button stays around.
    for (const old of await sw.registration.getNotifications({ tag: n.tag })) old.close();
    return;
  }
  await sw.registration.showNotification(n.title, {
    body: n.body,
    tag: n.tag,
    data: n,
    requireInteraction: n.kind === "permission",
    // `actions` and `renotify` are not in every DOM lib yet.
    ...({ actions: n.actions.map((a) => ({ action: a.action, title: a.label })), renotify: true } as object),
  });
}

/** Answers through the API with the device token; without a token, through the single-use action URL. */
async function answer(n: Payload, action: "allow" | "deny"): Promise<boolean> {
  const token = await loadWorkerToken().catch(() => null);
  if (token && n.permissionId) {
    const res = await fetch(`/api/permission/${encodeURIComponent(n.permissionId)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ decision: action }),
    });
    if (res.ok || res.status === 409) return res.ok;
  }
  const url = n.actions.find((a) => a.action === action)?.url;
  if (!url) return false;
  return (await fetch(url, { method: "POST" })).ok;
}

async function open(url: string): Promise<void> {
  const windows = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
  const first = windows[0];
  if (first) {
    await first.navigate(url).catch(() => undefined);
    await first.focus();
  } else await sw.clients.openWindow(url);
}

sw.addEventListener("install", () => void sw.skipWaiting());
sw.addEventListener("push", (event: { data: { json(): unknown } | null; waitUntil(p: Promise<unknown>): void }) => {
  const n = event.data?.json() as Payload | undefined;
  if (n && typeof n.title === "string") keep(event, show(n));
});
sw.addEventListener("notificationclick", (event: { notification: NotificationLike; action: string; waitUntil(p: Promise<unknown>): void }) => {
  const n = event.notification.data as Payload;
  event.notification.close();
  if ((event.action === "allow" || event.action === "deny") && n.kind === "permission") {
    keep(event, answer(n, event.action).then((ok) => (ok ? undefined : open(n.url))));
  } else keep(event, open(n.url));
});
// Web Share Target (manifest share_target): the shared pictures wait in IndexedDB; the app opens on its session list.
sw.addEventListener("fetch", (event: { request: Request; respondWith(r: Promise<Response>): void }) => {
  const { request } = event;
  if (request.method !== "POST" || new URL(request.url).pathname !== SHARE_PATH) return;
  event.respondWith(
    request
      .formData()
      .then((form) => saveShared(form))
      .catch(() => undefined)
      .then(() => Response.redirect("/#/", 303)),
  );
});
