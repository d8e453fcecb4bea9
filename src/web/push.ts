// Web Push on the page: whether this origin can have it (and why not), subscribing and unsubscribing this phone.
import { pushSupportFor, type PushSupport } from "./push-support.js";
import { clearWorkerToken, saveWorkerToken } from "./token-db.js";

export function pushSupport(): PushSupport {
  return pushSupportFor({
    secure: window.isSecureContext,
    host: location.host,
    serviceWorker: "serviceWorker" in navigator,
    pushManager: "PushManager" in window,
    notification: "Notification" in window,
  });
}

/** Registers the service worker (secure contexts only); resolves with its registration. */
export function registerWorker(): Promise<ServiceWorkerRegistration> {
  return navigator.serviceWorker.register("/sw.js", { scope: "/" });
}

const b64ToBytes = (b64url: string) => {
  const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (b64url.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
};

async function api(path: string, token: string, method: string, body?: unknown): Promise<unknown> {
  const res = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  if (!res.ok) throw new Error(`The computer answered ${res.status}.`);
  return res.json();
}

/** Asks for permission, subscribes with the daemon's VAPID key and registers the subscription. */
export async function enablePush(token: string): Promise<void> {
  if ((await Notification.requestPermission()) !== "granted") throw new Error("Notifications are blocked for this page in the browser settings.");
  const reg = await registerWorker();
  await navigator.serviceWorker.ready;
  const { publicKey } = (await api("/api/push/vapid-public-key", token, "GET")) as { publicKey: string };
  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(publicKey) });
  await api("/api/push/subscriptions", token, "POST", sub.toJSON());
  await saveWorkerToken(token);
}

export async function disablePush(token: string): Promise<void> {
  const reg = await navigator.serviceWorker.getRegistration("/");
  const sub = await reg?.pushManager.getSubscription();
  if (sub) {
    await api("/api/push/subscriptions", token, "DELETE", { endpoint: sub.endpoint }).catch(() => undefined);
    await sub.unsubscribe();
  }
  await clearWorkerToken().catch(() => undefined);
}

export async function pushEnabled(): Promise<boolean> {
  if (!pushSupport().available) return false;
  const reg = await navigator.serviceWorker.getRegistration("/");
  return Boolean(await reg?.pushManager.getSubscription());
}
