// Notify channels: creating one from a request (defaults, reply topic, notice), and the public view of it.
import { randomBytes } from "node:crypto";
import type { AddChannelRequest, ChannelInfo } from "../protocol/index.js";
import type { StoredChannel } from "./store.js";

/** Public ntfy servers: anyone who guesses the topic reads it, so they get minimal content by default. */
const PUBLIC_NTFY_HOSTS = new Set(["ntfy.sh"]);

export function isPublicNtfy(url: string): boolean {
  return PUBLIC_NTFY_HOSTS.has(new URL(url).hostname.toLowerCase());
}

/** `https://ntfy.sh/topic` -> server `https://ntfy.sh`, topic `topic` (self-hosted servers may sit under a path). */
export function splitNtfyUrl(url: string): { server: string; topic: string } {
  const u = new URL(url);
  const parts = u.pathname.split("/").filter(Boolean);
  const topic = parts.pop() ?? "";
  return { server: `${u.origin}${parts.length ? `/${parts.join("/")}` : ""}`, topic };
}

export function createStoredChannel(req: AddChannelRequest, now: number): { channel: StoredChannel; notice: string | null } {
  const id = randomBytes(4).toString("hex");
  const notices: string[] = [];
  let content = req.content;
  if (req.type === "ntfy") {
    const { topic } = splitNtfyUrl(req.url);
    if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic)) throw new TypeError("the ntfy URL must end in a topic name (letters, digits, - and _, up to 64)");
    if (!content && isPublicNtfy(req.url)) {
      content = "minimal";
      notices.push("ntfy.sh topics are public to anyone who knows the name: minimal content (no commands, no file paths); pass --content full to change it.");
    }
  }
  let replyTopic: string | null = null;
  if (req.type === "ntfy" && req.replyTopic !== false) {
    const { server } = splitNtfyUrl(req.url);
    // 128 random bits: the reply topic carries answers, so nobody may guess it.
    replyTopic = `${server}/cc-reply-${randomBytes(16).toString("base64url").replace(/[^A-Za-z0-9]/g, "x")}`;
    notices.push("Allow/Deny answers go through a reply topic the daemon subscribes to, so they work off the LAN too.");
  }
  const channel: StoredChannel = {
    id,
    type: req.type,
    url: req.url,
    ...(req.token ? { token: req.token } : {}),
    content: content ?? "full",
    replyTopic,
    createdAt: now,
  };
  return { channel, notice: notices.length ? notices.join(" ") : null };
}

export function channelInfo(c: StoredChannel, failing: string | null): ChannelInfo {
  return { id: c.id, type: c.type, url: c.url, hasToken: Boolean(c.token), content: c.content, replyTopic: c.replyTopic, createdAt: c.createdAt, failing };
}
