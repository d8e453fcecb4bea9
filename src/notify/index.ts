// The notify room: notifications of session events to Web Push, ntfy and webhooks. Knows no HTTP server internals.
export { createNotifyService, type NotifyService, type NotifyServiceOptions } from "./service.js";
export { createPresence, type Presence } from "./presence.js";
export { openNotifyStore, NOTIFY_FILE, type NotifyStore, type StoredChannel } from "./store.js";
export { createStoredChannel, channelInfo } from "./channels.js";
