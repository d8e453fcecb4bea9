// notify.json in the config dir (0600): channels, the VAPID key pair and Web Push subscriptions. File I/O only.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomicSync } from "../atomic-file.js";

export const NOTIFY_FILE = "notify.json";

export const StoredChannelSchema = z.object({
  id: z.string(),
  type: z.enum(["ntfy", "webhook"]),
  url: z.string(),
  token: z.string().optional(),
  content: z.enum(["full", "minimal"]),
  /** ntfy: the reply topic's URL the daemon subscribes to, or null for action URLs on the daemon's address. */
  replyTopic: z.string().nullable(),
  createdAt: z.number(),
});
export type StoredChannel = z.infer<typeof StoredChannelSchema>;

export const StoredSubscriptionSchema = z.object({
  id: z.string(),
  /** The paired device that subscribed ("master" for the master token): revoking it deletes this. */
  deviceId: z.string(),
  endpoint: z.string(),
  keys: z.object({ p256dh: z.string(), auth: z.string() }),
  createdAt: z.number(),
});
export type StoredSubscription = z.infer<typeof StoredSubscriptionSchema>;

const FileSchema = z.object({
  channels: z.array(StoredChannelSchema).default([]),
  vapid: z.object({ publicKey: z.string(), privateKey: z.string() }).optional(),
  subscriptions: z.array(StoredSubscriptionSchema).default([]),
});
export type NotifyFile = z.infer<typeof FileSchema>;

export interface NotifyStore {
  readonly path: string;
  read(): NotifyFile;
  /** Reads, changes and writes the file atomically (mode 0600). */
  update(change: (file: NotifyFile) => void): NotifyFile;
}

export function openNotifyStore(configDir: string): NotifyStore {
  const path = join(configDir, NOTIFY_FILE);
  const read = (): NotifyFile => {
    if (!existsSync(path)) return { channels: [], subscriptions: [] };
    const parsed = FileSchema.safeParse(JSON.parse(readFileSync(path, "utf8") || "{}"));
    if (!parsed.success) throw new Error(`${path} is not valid (${parsed.error.issues[0]?.message ?? "invalid"}); fix or delete it`);
    return parsed.data;
  };
  return {
    path,
    read,
    update(change) {
      const file = read();
      change(file);
      writeFileAtomicSync(path, JSON.stringify(file, null, 2) + "\n");
      return file;
    },
  };
}
