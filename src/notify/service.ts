// The notify room's face to the server and CLI: channels (list, add, remove, test), Web Push subscriptions, actions, health.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import {
  CompanionError,
  type AddChannelRequest,
  type ChannelInfo,
  type NotifyHealth,
  type PushSubscriptionRequest,
  type SessionEvent,
} from "../protocol/index.js";
import { channelInfo, createStoredChannel } from "./channels.js";
import { createNotifier, type Notifier } from "./notifier.js";
import type { FetchLike } from "./ntfy.js";
import type { Presence } from "./presence.js";
import { openNotifyStore, type NotifyStore } from "./store.js";
import { ensureVapidKeys, type VapidKeys } from "./web-push.js";

export interface NotifyServiceOptions {
  configDir: string;
  logger: Logger;
  onEvent(listener: (event: SessionEvent) => void): () => void;
  sessionTitle(sessionId: string): string;
  answer(sessionId: string, permissionId: string, decision: "allow" | "deny", client: string): void;
  publicUrl(): string;
  fetch?: FetchLike;
  /** Waits between delivery attempts (default 2 s, 10 s, 30 s). */
  retryDelaysMs?: readonly number[];
}

export interface NotifyService {
  readonly presence: Presence;
  act(token: string): { permissionId: string; sessionId: string; decision: "allow" | "deny" };
  listChannels(): ChannelInfo[];
  addChannel(req: AddChannelRequest): { channel: ChannelInfo; notice: string | null };
  removeChannel(id: string): void;
  testChannels(id?: string): Promise<{ id: string; ok: boolean; error?: string }[]>;
  vapidPublicKey(): string;
  subscribe(deviceId: string, sub: PushSubscriptionRequest): void;
  unsubscribe(deviceId: string, endpoint: string): number;
  /** A device was revoked: its push subscriptions go with it. */
  forgetDevice(deviceId: string): number;
  health(): NotifyHealth;
  /** Resolves when queued deliveries finished (tests). */
  idle(): Promise<void>;
  close(): void;
}

export function createNotifyService(options: NotifyServiceOptions): NotifyService {
  const store: NotifyStore = openNotifyStore(options.configDir);
  let vapid: VapidKeys | undefined;
  const keys = () => (vapid ??= ensureVapidKeys(store));
  const notifier: Notifier = createNotifier({ ...options, store, vapid: keys });

  const find = (id: string) => {
    const c = store.read().channels.find((ch) => ch.id === id);
    if (!c) throw new CompanionError("NOTIFY_CHANNEL_NOT_FOUND", { id: id.slice(0, 64) });
    return c;
  };

  return {
    presence: notifier.presence,
    act: (token) => notifier.act(token),
    listChannels: () => store.read().channels.map((c) => channelInfo(c, notifier.delivery.failingReason(c.id))),
    addChannel(req) {
      let created: ReturnType<typeof createStoredChannel>;
      try {
        created = createStoredChannel(req, Date.now());
      } catch (e) {
        throw new CompanionError("BAD_REQUEST", { reason: `body.url: ${(e as Error).message}` }, { path: "body.url" });
      }
      store.update((f) => void f.channels.push(created.channel));
      notifier.reloadChannels();
      return { channel: channelInfo(created.channel, null), notice: created.notice };
    },
    removeChannel(id) {
      find(id);
      store.update((f) => {
        f.channels = f.channels.filter((c) => c.id !== id);
      });
      notifier.delivery.forget(id);
      notifier.reloadChannels();
    },
    async testChannels(id) {
      const channels = id ? [find(id)] : store.read().channels;
      return Promise.all(
        channels.map(async (c) => {
          try {
            await notifier.sendOnce(c, {
              kind: "done",
              tag: `test-${c.id}`,
              sessionId: "test",
              title: "claude-companion: test notification",
              body: "Notifications from this computer arrive here.",
              url: `${options.publicUrl()}/`,
              actions: [],
              ts: Date.now(),
            });
            notifier.delivery.forget(c.id);
            return { id: c.id, ok: true };
          } catch (e) {
            return { id: c.id, ok: false, error: (e as Error).message };
          }
        }),
      );
    },
    vapidPublicKey: () => keys().publicKey,
    subscribe(deviceId, sub) {
      store.update((f) => {
        // One subscription per endpoint: subscribing again replaces the keys.
        f.subscriptions = f.subscriptions.filter((s) => s.endpoint !== sub.endpoint);
        f.subscriptions.push({ id: randomBytes(6).toString("hex"), deviceId, endpoint: sub.endpoint, keys: sub.keys, createdAt: Date.now() });
      });
    },
    unsubscribe(deviceId, endpoint) {
      let removed = 0;
      store.update((f) => {
        const before = f.subscriptions.length;
        f.subscriptions = f.subscriptions.filter((s) => !(s.endpoint === endpoint && (deviceId === "master" || s.deviceId === deviceId)));
        removed = before - f.subscriptions.length;
      });
      return removed;
    },
    forgetDevice(deviceId) {
      let removed = 0;
      store.update((f) => {
        const before = f.subscriptions.length;
        f.subscriptions = f.subscriptions.filter((s) => s.deviceId !== deviceId);
        removed = before - f.subscriptions.length;
      });
      return removed;
    },
    health: () => ({ failing: notifier.delivery.failing() }),
    idle: () => notifier.delivery.idle(),
    close: () => notifier.close(),
  };
}
