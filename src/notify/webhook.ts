// Webhook channel: the documented JSON body (WebhookBodySchema) built from a notification, POSTed to the URL.
import type { Notification, WebhookBody } from "../protocol/index.js";
import type { FetchLike } from "./ntfy.js";
import type { StoredChannel } from "./store.js";

export interface WebhookExtra {
  sessionTitle: string;
  permission?: { kind: "tool" | "question" | "plan"; toolName: string; expiresAt: number; decision?: string };
  durationMs?: number;
  code?: string;
}

export function webhookBody(n: Notification, extra: WebhookExtra, test = false): WebhookBody {
  const event = test ? "test" : n.withdrawn ? "resolved" : n.kind;
  const allow = n.actions.find((a) => a.action === "allow")?.url;
  const deny = n.actions.find((a) => a.action === "deny")?.url;
  return {
    event,
    session: { id: n.sessionId, title: extra.sessionTitle },
    summary: { title: n.title, body: n.body },
    url: n.url,
    ...(n.permissionId && extra.permission
      ? {
          permission: {
            id: n.permissionId,
            kind: extra.permission.kind,
            toolName: extra.permission.toolName,
            expiresAt: extra.permission.expiresAt,
            ...(allow && deny ? { actions: { allow, deny } } : {}),
            ...(extra.permission.decision ? { decision: extra.permission.decision } : {}),
          },
        }
      : {}),
    ...(extra.durationMs !== undefined ? { durationMs: extra.durationMs } : {}),
    ...(extra.code ? { code: extra.code } : {}),
    ts: n.ts,
  };
}

export async function postWebhook(fetchFn: FetchLike, channel: StoredChannel, body: WebhookBody): Promise<void> {
  const res = await fetchFn(channel.url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "claude-companion", ...(channel.token ? { authorization: `Bearer ${channel.token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status}`);
}
