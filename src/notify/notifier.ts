// The notify room's core: session events -> notifications on every channel, presence-aware, one per permission per channel.
import type { Logger } from "pino";
import { ACTION_PATH_PREFIX, CompanionError, type ContentLevel, type Notification, type SessionEvent, type SessionEventData } from "../protocol/index.js";
import { createActionTokens, type ActionDecision } from "./action-tokens.js";
import { cannotStartNotification, doneNotification, errorNotification, permissionNotification, resolvedNotification, warningNotification } from "./content.js";
import { createDelivery, type Delivery } from "./delivery.js";
import { listenReplyTopic, ntfyMessage, publishNtfy, type FetchLike } from "./ntfy.js";
import { createPresence, type Presence } from "./presence.js";
import type { NotifyStore, StoredChannel } from "./store.js";
import { sendWebPush, type VapidKeys } from "./web-push.js";
import { postWebhook, webhookBody, type WebhookExtra } from "./webhook.js";

export interface NotifierDeps {
  store: NotifyStore;
  logger: Logger;
  /** Every event of every session, in seq order; returns an unsubscribe function. */
  onEvent(listener: (event: SessionEvent) => void): () => void;
  /** The session title or project name shown in notifications. */
  sessionTitle(sessionId: string): string;
  /** Answers a permission; throws PERMISSION_NOT_PENDING / PERMISSION_NOT_FOUND / SESSION_NOT_FOUND. */
  answer(sessionId: string, permissionId: string, decision: ActionDecision, client: string): void;
  /** Base URL the phone reaches the daemon at (deep links and action URLs). */
  publicUrl(): string;
  vapid(): VapidKeys;
  fetch?: FetchLike;
  retryDelaysMs?: readonly number[];
  now?: () => number;
}

interface Pending {
  sessionId: string;
  data: SessionEventData<"permissionRequest">;
  tokens: Record<ActionDecision, string>;
  /** Targets (channel ids, push subscription ids) that got this permission's notification. */
  sentTo: Set<string>;
}

export interface Notifier {
  readonly presence: Presence;
  readonly delivery: Delivery;
  /** Redeems a single-use action token: the permission is answered. */
  act(token: string): { permissionId: string; sessionId: string; decision: ActionDecision };
  /** Sends `n` to one channel now, without retries (notify test). */
  sendOnce(channel: StoredChannel, n: Notification): Promise<void>;
  /** The set of channels changed: reply-topic listeners follow. */
  reloadChannels(): void;
  close(): void;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const logger = deps.logger.child({ room: "notify" });
  const now = deps.now ?? Date.now;
  const fetchFn = deps.fetch ?? fetch;
  const presence = createPresence();
  const tokens = createActionTokens(now);
  const delivery = createDelivery({ logger, ...(deps.retryDelaysMs ? { retryDelaysMs: deps.retryDelaysMs } : {}), now });
  const pending = new Map<string, Pending>();
  const listeners = new Map<string, { close(): void }>();

  const sessionUrl = (sessionId: string) => `${deps.publicUrl()}/#/s/${sessionId}`;
  const actionUrl = (token: string) => `${deps.publicUrl()}${ACTION_PATH_PREFIX}${token}`;

  const deliver = (channel: StoredChannel, n: Notification, extra: WebhookExtra, p?: Pending, test = false) => {
    if (channel.type === "ntfy") return publishNtfy(fetchFn, channel, ntfyMessage(channel, n, p?.tokens));
    return postWebhook(fetchFn, channel, webhookBody(n, extra, test));
  };

  /** Sends to every channel and push subscription; `build` makes the content at each channel's level. */
  const broadcast = (build: (level: ContentLevel) => Notification, extra: WebhookExtra, p?: Pending, onlyTo?: Set<string>) => {
    const file = deps.store.read();
    for (const channel of file.channels) {
      if (onlyTo && !onlyTo.has(channel.id)) continue;
      p?.sentTo.add(channel.id);
      const n = build(channel.content);
      delivery.send(channel.id, channel.type, () => deliver(channel, n, extra, p));
    }
    if (!file.subscriptions.length) return;
    const vapid = deps.vapid();
    for (const sub of file.subscriptions) {
      if (onlyTo && !onlyTo.has(sub.id)) continue;
      p?.sentTo.add(sub.id);
      // Web Push payloads are end-to-end encrypted to the device: full content.
      const n = build("full");
      delivery.send(`push:${sub.id}`, "webpush", async () => {
        if ((await sendWebPush(fetchFn, sub, n, vapid)) === "gone") {
          logger.info({ subscriptionId: sub.id }, "push subscription expired; removed");
          deps.store.update((f) => {
            f.subscriptions = f.subscriptions.filter((s) => s.id !== sub.id);
          });
        }
      });
    }
  };

  const notifyPermission = (p: Pending) => {
    const label = { title: deps.sessionTitle(p.sessionId) };
    const links = { url: sessionUrl(p.sessionId), allow: actionUrl(p.tokens.allow), deny: actionUrl(p.tokens.deny) };
    const extra: WebhookExtra = { sessionTitle: label.title, permission: { kind: p.data.kind, toolName: p.data.toolName, expiresAt: p.data.expiresAt } };
    broadcast((level) => permissionNotification(p.sessionId, label, p.data, level, links, now()), extra, p);
  };

  const onEvent = (event: SessionEvent) => {
    const { sessionId } = event;
    switch (event.type) {
      case "permissionRequest": {
        const p: Pending = { sessionId, data: event.data, tokens: tokens.issue(sessionId, event.data.permissionId, event.data.expiresAt), sentTo: new Set() };
        pending.set(event.data.permissionId, p);
        // Skipped while a client shows this session; sent when it hides (presence.onHidden).
        if (!presence.isVisible(sessionId)) notifyPermission(p);
        return;
      }
      case "permissionResolved": {
        const p = pending.get(event.data.permissionId);
        tokens.retire(event.data.permissionId, event.data.by === "timeout" ? "timed out" : event.data.by === "cancelled" ? "withdrawn" : "answered");
        pending.delete(event.data.permissionId);
        if (!p || !p.sentTo.size) return;
        const label = { title: deps.sessionTitle(sessionId) };
        const extra: WebhookExtra = {
          sessionTitle: label.title,
          permission: { kind: p.data.kind, toolName: p.data.toolName, expiresAt: p.data.expiresAt, decision: event.data.decision },
        };
        // Replaces the notification that had the buttons, on exactly the targets that got it.
        broadcast(() => resolvedNotification(sessionId, label, event.data, sessionUrl(sessionId), now()), extra, undefined, p.sentTo);
        return;
      }
      case "streamComplete": {
        if (presence.isVisible(sessionId)) return;
        const label = { title: deps.sessionTitle(sessionId) };
        const extra: WebhookExtra = { sessionTitle: label.title, ...(event.data.durationMs !== undefined ? { durationMs: event.data.durationMs } : {}) };
        broadcast((level) => doneNotification(sessionId, label, event.data, level, sessionUrl(sessionId), now()), extra);
        return;
      }
      case "sessionError": {
        if (presence.isVisible(sessionId)) return;
        const label = { title: deps.sessionTitle(sessionId) };
        broadcast((level) => errorNotification(sessionId, label, event.data, level, sessionUrl(sessionId), now()), { sessionTitle: label.title, code: event.data.code });
        return;
      }
      case "sessionUpdate": {
        // The moment a session becomes unable to start (docs/PROTOCOL.md "Cannot start"): attempts 2 on the update of that failure.
        const c = event.data.cannotStart;
        if (!c || c.attempts !== 2 || (event.data.reason !== "claude-exited" && event.data.reason !== "cannot-start") || presence.isVisible(sessionId)) return;
        const label = { title: deps.sessionTitle(sessionId) };
        broadcast((level) => cannotStartNotification(sessionId, label, c, level, sessionUrl(sessionId), now()), { sessionTitle: label.title, code: "CLAUDE_EXITED" });
        return;
      }
      case "warning": {
        // Only a CPU runaway (CPU_LIMIT_ACTION=warn) is news for the phone; a bad stdout line is not.
        if (event.data.kind !== "cpu" || presence.isVisible(sessionId)) return;
        const label = { title: deps.sessionTitle(sessionId) };
        broadcast((level) => warningNotification(sessionId, label, event.data, level, sessionUrl(sessionId), now()), { sessionTitle: label.title });
        return;
      }
      default:
        return;
    }
  };

  const offEvents = deps.onEvent((e) => {
    try {
      onEvent(e);
    } catch (err) {
      logger.error({ err }, "notification failed");
    }
  });
  const offHidden = presence.onHidden((sessionId) => {
    for (const p of pending.values()) if (p.sessionId === sessionId && !p.sentTo.size && p.data.expiresAt > now()) notifyPermission(p);
  });

  const act: Notifier["act"] = (token) => {
    const grant = tokens.redeem(token);
    try {
      deps.answer(grant.sessionId, grant.permissionId, grant.decision, "notification action");
    } catch (e) {
      if (e instanceof CompanionError && ["PERMISSION_NOT_PENDING", "PERMISSION_NOT_FOUND", "SESSION_NOT_FOUND", "SESSION_CLOSED"].includes(e.code)) {
        throw new CompanionError("ACTION_URL_USED", { state: String(e.details.state ?? "closed") });
      }
      throw e;
    }
    logger.info({ sessionId: grant.sessionId, permissionId: grant.permissionId, decision: grant.decision }, "permission answered from a notification");
    return grant;
  };

  const reloadChannels = () => {
    const channels = deps.store.read().channels.filter((c) => c.replyTopic);
    for (const [id, l] of listeners) {
      if (!channels.some((c) => c.id === id)) {
        l.close();
        listeners.delete(id);
      }
    }
    for (const channel of channels) {
      if (listeners.has(channel.id)) continue;
      const onReply = (body: string) => {
        try {
          act(body);
        } catch (e) {
          logger.info({ channelId: channel.id, code: (e as CompanionError).code ?? "INTERNAL" }, "reply topic message refused");
        }
      };
      listeners.set(channel.id, listenReplyTopic({ fetch: fetchFn, channel, onReply, logger }));
    }
  };
  reloadChannels();

  return {
    presence,
    delivery,
    act,
    sendOnce: (channel, n) => deliver(channel, n, { sessionTitle: "claude-companion" }, undefined, true),
    reloadChannels,
    close() {
      offEvents();
      offHidden();
      delivery.close();
      for (const l of listeners.values()) l.close();
      listeners.clear();
    },
  };
}
