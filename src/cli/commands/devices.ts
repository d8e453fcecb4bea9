// `devices`: list paired devices; `devices revoke <id>` / `--all`. Through the daemon's API when it runs, else the config store.
import kleur from "kleur";
import { createDeviceRegistry, createKeyValueDeviceStorage, type PublicDevice } from "../../pairing/index.js";
import { createSilentLogger } from "../../log.js";
import { callDaemon, cliContext, fail, printJson, type CliContext } from "../common.js";
import type { ConfigStore } from "../../config/index.js";

function offlineRegistry(store: ConfigStore) {
  return createDeviceRegistry({
    storage: createKeyValueDeviceStorage({ get: (k) => store.get(k), set: (k, v) => store.set(k, v) }),
    logger: createSilentLogger(),
  });
}

async function list(ctx: CliContext): Promise<PublicDevice[]> {
  if (!ctx.running) return offlineRegistry(ctx.store).list();
  const res = await callDaemon<{ devices: PublicDevice[] }>(ctx.running.state, "/api/devices", ctx.token);
  if (res.status !== 200) fail(`The daemon refused to list devices (HTTP ${res.status}).`);
  return res.body.devices;
}

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : "never");

export async function devicesCommand(flags: { json?: boolean; configDir?: string }): Promise<void> {
  const devices = await list(await cliContext(flags));
  if (flags.json) return printJson({ devices });
  if (!devices.length) {
    process.stdout.write("No paired devices. Pair one with: claude-companion pair\n");
    return;
  }
  for (const d of devices) {
    process.stdout.write(
      `${kleur.bold(d.id)}  ${d.name}\n    paired ${when(d.pairedAt)}, last seen ${when(d.lastSeenAt)}${d.lastAddress ? ` from ${d.lastAddress}` : ""}\n`,
    );
  }
}

export async function revokeCommand(id: string | undefined, flags: { all?: boolean; json?: boolean; configDir?: string }): Promise<void> {
  if (!id && !flags.all) fail("Name a device id, or pass --all.", 2, "List them with: claude-companion devices");
  if (id && flags.all) fail("Pass either a device id or --all, not both.", 2);
  const ctx = await cliContext(flags);
  const { store, running } = ctx;
  let revoked: number;
  if (running) {
    const path = flags.all ? "/api/devices" : `/api/devices/${encodeURIComponent(id!)}`;
    const res = await callDaemon<{ revoked: number }>(running.state, path, ctx.token, { method: "DELETE" });
    if (res.status === 404) fail(`No paired device with id ${id}.`, 1, "List them with: claude-companion devices");
    if (res.status !== 200) fail(`The daemon refused to revoke (HTTP ${res.status}).`);
    revoked = res.body.revoked;
  } else {
    const registry = offlineRegistry(store);
    revoked = flags.all ? registry.revokeAll() : registry.revoke(id!) ? 1 : 0;
    if (!flags.all && revoked === 0) fail(`No paired device with id ${id}.`, 1, "List them with: claude-companion devices");
  }
  if (flags.json) printJson({ revoked });
  else process.stdout.write(`Revoked ${revoked} device${revoked === 1 ? "" : "s"}.\n`);
}
