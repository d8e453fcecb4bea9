// `notify add | list | remove | test`: notification channels, through the daemon's API when it runs, else notify.json directly.
import kleur from "kleur";
import { AddChannelRequestSchema, type AddChannelRequest, type ChannelInfo } from "../../protocol/index.js";
import { channelInfo, createStoredChannel, openNotifyStore } from "../../notify/index.js";
import { callDaemon, cliContext, EXIT, fail, printJson } from "../common.js";

interface Flags {
  json?: boolean;
  configDir?: string;
}

function describe(c: ChannelInfo): string {
  const extras = [c.content === "minimal" ? "minimal content" : "full content", c.hasToken ? "with token" : "", c.replyTopic ? "reply topic" : ""].filter(Boolean);
  const state = c.failing ? kleur.red(`failing: ${c.failing}`) : kleur.green("ok");
  return `${kleur.bold(c.id)}  ${c.type}  ${c.url}  (${extras.join(", ")})  ${state}`;
}

export async function notifyAddCommand(type: string, url: string, flags: Flags & { token?: string; content?: string; replyTopic?: boolean }): Promise<void> {
  const parsed = AddChannelRequestSchema.safeParse({
    type,
    url,
    ...(flags.token ? { token: flags.token } : {}),
    ...(flags.content ? { content: flags.content } : {}),
    ...(type === "ntfy" && flags.replyTopic === false ? { replyTopic: false } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(`${issue?.path.join(".") || "input"}: ${issue?.message ?? "invalid"}`, EXIT.USAGE, "Usage: claude-companion notify add ntfy https://ntfy.sh/<topic> | notify add webhook <url>");
  }
  const req: AddChannelRequest = parsed.data;
  const { store, running, token } = await cliContext(flags);
  let result: { channel: ChannelInfo; notice: string | null };
  if (running) {
    const res = await callDaemon<any>(running.state, "/api/notify/channels", token, { method: "POST", body: req });
    if (res.status !== 201) fail(res.body?.data?.message ?? `The daemon refused the channel (HTTP ${res.status}).`, res.status === 400 ? EXIT.USAGE : EXIT.ERROR);
    result = res.body;
  } else {
    try {
      const created = createStoredChannel(req, Date.now());
      openNotifyStore(store.dir).update((f) => void f.channels.push(created.channel));
      result = { channel: channelInfo(created.channel, null), notice: created.notice };
    } catch (e) {
      fail(`url: ${(e as Error).message}`, EXIT.USAGE);
    }
  }
  if (flags.json) return printJson(result);
  process.stdout.write(`Added ${describe(result.channel)}\n`);
  if (result.notice) process.stdout.write(`${kleur.yellow("note")} ${result.notice}\n`);
  process.stdout.write(`Send a test with: claude-companion notify test ${result.channel.id}\n`);
}

async function listChannels(flags: Flags): Promise<ChannelInfo[]> {
  const { store, running, token } = await cliContext(flags);
  if (!running) return openNotifyStore(store.dir).read().channels.map((c) => channelInfo(c, null));
  const res = await callDaemon<{ channels: ChannelInfo[] }>(running.state, "/api/notify/channels", token);
  if (res.status !== 200) fail(`The daemon refused to list channels (HTTP ${res.status}).`);
  return res.body.channels;
}

export async function notifyListCommand(flags: Flags): Promise<void> {
  const channels = await listChannels(flags);
  if (flags.json) return printJson({ channels });
  if (!channels.length) {
    process.stdout.write("No notification channels. Add one with: claude-companion notify add ntfy https://ntfy.sh/<topic>\n");
    return;
  }
  for (const c of channels) process.stdout.write(`${describe(c)}\n`);
}

export async function notifyRemoveCommand(id: string, flags: Flags): Promise<void> {
  const { store, running, token } = await cliContext(flags);
  if (running) {
    const res = await callDaemon(running.state, `/api/notify/channels/${encodeURIComponent(id)}`, token, { method: "DELETE" });
    if (res.status === 404) fail(`No notification channel with id ${id}.`, EXIT.ERROR, "List them with: claude-companion notify list");
    if (res.status !== 200) fail(`The daemon refused to remove it (HTTP ${res.status}).`);
  } else {
    const notify = openNotifyStore(store.dir);
    if (!notify.read().channels.some((c) => c.id === id)) fail(`No notification channel with id ${id}.`, EXIT.ERROR, "List them with: claude-companion notify list");
    notify.update((f) => {
      f.channels = f.channels.filter((c) => c.id !== id);
    });
  }
  if (flags.json) printJson({ removed: 1 });
  else process.stdout.write(`Removed channel ${id}.\n`);
}

export async function notifyTestCommand(id: string | undefined, flags: Flags): Promise<void> {
  const { store, running, token } = await cliContext(flags);
  if (!running) fail("The daemon is not running: start it, then send a test.", EXIT.NOT_RUNNING, "claude-companion start");
  const path = id ? `/api/notify/test/${encodeURIComponent(id)}` : "/api/notify/test";
  const res = await callDaemon<any>(running.state, path, token, { method: "POST" });
  if (res.status === 404) fail(`No notification channel with id ${id}.`, EXIT.ERROR, "List them with: claude-companion notify list");
  if (res.status !== 200) fail(`The daemon refused the test (HTTP ${res.status}).`);
  const results = res.body.results as { id: string; ok: boolean; error?: string }[];
  if (flags.json) printJson({ results });
  else if (!results.length) process.stdout.write("No notification channels to test.\n");
  else for (const r of results) process.stdout.write(`${kleur.bold(r.id)}  ${r.ok ? kleur.green("sent") : kleur.red(`failed: ${r.error}`)}\n`);
  if (results.some((r) => !r.ok)) process.exit(EXIT.ERROR);
}
