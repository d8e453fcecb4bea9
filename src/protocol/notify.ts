// Notifications on the wire: the presence frame, notify channels, Web Push subscriptions, the notification payload and the webhook body.
import { z } from "zod";
import { SessionIdSchema } from "./common.js";

/** WS client -> server `presence`: is this page visible, and on which session? Only `visible: true` sockets count. */
export const PresenceDataSchema = z
  .object({
    visible: z.boolean(),
    /** The session the page shows; absent on the session list. */
    sessionId: SessionIdSchema.optional(),
  })
  .strict();
export type PresenceData = z.infer<typeof PresenceDataSchema>;

/** `warning`: a session's processes stayed over CPU_LIMIT_PERCENT (a `warning` event with kind "cpu"). */
export const NOTIFICATION_KINDS = ["permission", "done", "error", "warning"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const CHANNEL_TYPES = ["ntfy", "webhook"] as const;
export const CONTENT_LEVELS = ["full", "minimal"] as const;
export type ContentLevel = (typeof CONTENT_LEVELS)[number];

const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === "http:" || p === "https:";
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL");

/** POST /api/notify/channels: add a channel. */
export const AddChannelRequestSchema = z
  .object({
    type: z.enum(CHANNEL_TYPES),
    /** ntfy: the topic URL (`https://ntfy.sh/<topic>`); webhook: the URL that receives the POST. */
    url: httpUrl,
    /** ntfy access token (sent as `Authorization: Bearer`); never returned or logged. */
    token: z.string().min(1).max(512).optional(),
    /** `minimal`: no command text, no file paths or contents. Default: minimal for ntfy.sh topics, else full. */
    content: z.enum(CONTENT_LEVELS).optional(),
    /**
     * ntfy only: answer through a reply topic the daemon subscribes to (works off the LAN), instead of
     * action URLs on the daemon's own address. Default true for ntfy.
     */
    replyTopic: z.boolean().optional(),
  })
  .strict();
export type AddChannelRequest = z.infer<typeof AddChannelRequestSchema>;

/** A channel as the API shows it (the token is reduced to whether there is one). */
export const ChannelInfoSchema = z.object({
  id: z.string(),
  type: z.enum(CHANNEL_TYPES),
  url: z.string(),
  hasToken: z.boolean(),
  content: z.enum(CONTENT_LEVELS),
  /** ntfy reply topic URL the daemon listens on, or null. */
  replyTopic: z.string().nullable(),
  createdAt: z.number(),
  /** Why the channel fails after its retries, or null when it works. */
  failing: z.string().nullable(),
});
export type ChannelInfo = z.infer<typeof ChannelInfoSchema>;

export const ChannelListResponseSchema = z.object({ channels: z.array(ChannelInfoSchema) });
/** POST /api/notify/channels -> 201; `notice` says e.g. that a public topic gets minimal content. */
export const AddChannelResponseSchema = z.object({ channel: ChannelInfoSchema, notice: z.string().nullable() });
/** POST /api/notify/test[/:id] -> 200: one result per channel tested. */
export const TestChannelsResponseSchema = z.object({
  results: z.array(z.object({ id: z.string(), ok: z.boolean(), error: z.string().optional() })),
});

/** The `notify` part of /health: channels that still fail after their retries. */
export const NotifyHealthSchema = z.object({
  failing: z.array(z.object({ id: z.string(), type: z.string(), error: z.string(), since: z.number() })),
});
export type NotifyHealth = z.infer<typeof NotifyHealthSchema>;

/** POST /api/push/subscriptions: a browser PushSubscription (its toJSON()). */
export const PushSubscriptionRequestSchema = z
  .object({
    endpoint: httpUrl,
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().min(1).max(256), auth: z.string().min(1).max(64) }).strict(),
  })
  .strict();
export type PushSubscriptionRequest = z.infer<typeof PushSubscriptionRequestSchema>;
/** DELETE /api/push/subscriptions: which one. */
export const PushUnsubscribeRequestSchema = z.object({ endpoint: httpUrl }).strict();

export const VapidKeyResponseSchema = z.object({ publicKey: z.string() });

/** A button of a notification: it answers the permission through `url` (POST, no token). */
export const NotificationActionSchema = z.object({
  action: z.enum(["allow", "deny"]),
  label: z.string(),
  /** Single-use action URL (see docs/PROTOCOL.md, Action URLs). */
  url: z.string(),
});

/**
 * What a channel delivers: the Web Push payload as is, and the content of ntfy and webhook messages.
 * `tag` is stable per permission (or turn): a later notification with the same tag replaces it, and
 * `withdrawn: true` removes it (the permission was answered elsewhere).
 */
export const NotificationSchema = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  tag: z.string(),
  sessionId: z.string(),
  title: z.string(),
  body: z.string(),
  /** Deep link to the session in the web client. */
  url: z.string(),
  permissionId: z.string().optional(),
  /** Allow/Deny for tool permissions; empty for questions and plans (they open the app). */
  actions: z.array(NotificationActionSchema),
  withdrawn: z.boolean().optional(),
  ts: z.number(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export const WEBHOOK_EVENTS = ["permission", "resolved", "done", "error", "warning", "test"] as const;

/** The JSON body POSTed to a webhook channel. */
export const WebhookBodySchema = z.object({
  event: z.enum(WEBHOOK_EVENTS),
  session: z.object({ id: z.string(), title: z.string() }),
  summary: z.object({ title: z.string(), body: z.string() }),
  /** Deep link to the session in the web client. */
  url: z.string(),
  permission: z
    .object({
      id: z.string(),
      kind: z.enum(["tool", "question", "plan"]),
      toolName: z.string(),
      expiresAt: z.number(),
      /** POST to answer (no token needed); absent for questions and plans and once resolved. */
      actions: z.object({ allow: z.string(), deny: z.string() }).optional(),
      /** On `resolved`: how it was answered. */
      decision: z.string().optional(),
    })
    .optional(),
  /** `done`: the turn's duration; `error`: the error code. */
  durationMs: z.number().optional(),
  code: z.string().optional(),
  ts: z.number(),
});
export type WebhookBody = z.infer<typeof WebhookBodySchema>;

/** POST /notify/action/:token -> 200 (no token: the URL is the credential). */
export const ActionResponseSchema = z.object({
  permissionId: z.string(),
  sessionId: z.string(),
  decision: z.enum(["allow", "deny"]),
});
export const ACTION_PATH_PREFIX = "/notify/action/";
