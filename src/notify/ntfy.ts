// ntfy: publishing a notification (JSON publish, http actions, sequence id to replace it) and listening on a reply topic.
import type { Logger } from "pino";
import type { Notification } from "../protocol/index.js";
import { splitNtfyUrl } from "./channels.js";
import type { StoredChannel } from "./store.js";

export type FetchLike = typeof fetch;

/** ntfy sequence ids: `[-_A-Za-z0-9]{1,64}`. Same id = the notification is updated in place (ntfy 2.16+). */
export const sequenceIdOf = (tag: string) => tag.replace(/[^-_A-Za-z0-9]/g, "_").slice(0, 64);

const PRIORITY = { permission: 4, done: 3, error: 4, warning: 4 } as const;
const TAGS = { permission: ["lock"], done: ["white_check_mark"], error: ["warning"], warning: ["fire"] } as const;

/** The JSON body of an ntfy publish. `tokens` are the raw action tokens (sent as the reply topic body). */
export function ntfyMessage(channel: StoredChannel, n: Notification, tokens?: { allow: string; deny: string }) {
  const { topic } = splitNtfyUrl(channel.url);
  const actions = n.actions.map((a) =>
    channel.replyTopic && tokens
      ? { action: "http", label: a.label, url: channel.replyTopic, method: "POST", body: tokens[a.action], clear: true }
      : { action: "http", label: a.label, url: a.url, method: "POST", clear: true },
  );
  return {
    topic,
    title: n.title,
    message: n.body,
    click: n.url,
    priority: n.withdrawn ? 2 : PRIORITY[n.kind],
    tags: n.withdrawn ? ["heavy_check_mark"] : [...TAGS[n.kind]],
    sequence_id: sequenceIdOf(n.tag),
    ...(actions.length ? { actions } : {}),
  };
}

export async function publishNtfy(fetchFn: FetchLike, channel: StoredChannel, body: unknown): Promise<void> {
  const { server } = splitNtfyUrl(channel.url);
  const res = await fetchFn(`${server}/`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(channel.token ? { authorization: `Bearer ${channel.token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`ntfy answered HTTP ${res.status}`);
}

/**
 * Subscribes to a reply topic with one outbound streaming request (`<topic>/json`) and hands every
 * message body to `onReply`; reconnects with backoff (1 s doubling to 60 s) until closed. The bodies
 * are action tokens: they are never logged.
 */
export function listenReplyTopic(options: {
  fetch: FetchLike;
  channel: StoredChannel;
  onReply: (body: string) => void;
  logger: Logger;
  /** Called when the subscription is open (tests wait on it). */
  onOpen?: () => void;
}): { close(): void } {
  const { channel, logger } = options;
  const abort = new AbortController();
  let delay = 1000;
  let since: string | null = null;
  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        const url = `${channel.replyTopic}/json${since ? `?since=${encodeURIComponent(since)}` : ""}`;
        const res = await options.fetch(url, {
          headers: channel.token ? { authorization: `Bearer ${channel.token}` } : {},
          signal: abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`ntfy answered HTTP ${res.status}`);
        delay = 1000;
        options.onOpen?.();
        let buffer = "";
        const decoder = new TextDecoder();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let nl: number;
          while ((nl = buffer.indexOf("\n")) !== -1) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            try {
              const msg = JSON.parse(line) as { id?: string; event?: string; message?: string };
              if (msg.event !== "message") continue;
              if (msg.id) since = msg.id;
              if (typeof msg.message === "string") options.onReply(msg.message.trim());
            } catch {
              // Not an ntfy line: ignored (the topic may be shared with other tools).
            }
          }
        }
      } catch (e) {
        if (abort.signal.aborted) return;
        logger.warn({ channelId: channel.id, reason: (e as Error).message }, "ntfy reply topic disconnected; retrying");
      }
      if (abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, 60_000);
    }
  };
  void loop();
  return { close: () => abort.abort() };
}
