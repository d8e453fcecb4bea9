// `pair`: print the QR code and URL that pair a phone with the running daemon.
import kleur from "kleur";
import type { InfoResponse } from "../../protocol/index.js";
import { baseUrl } from "../../daemon/index.js";
import { renderQr } from "../banner.js";
import { callDaemon, currentToken, EXIT, fail, findRunningDaemon, openStoreOrExit, printJson } from "../common.js";

export async function pairCommand(flags: { json?: boolean; configDir?: string }): Promise<void> {
  const store = openStoreOrExit(flags.configDir);
  const running = findRunningDaemon(store.dir);
  if (!running) fail("claude-companion is not running.", EXIT.NOT_RUNNING, "Start it with: claude-companion start");
  const token = currentToken(store);
  const res = await callDaemon<InfoResponse>(running.state, "/api/info", token);
  if (res.status !== 200) fail(`The daemon refused the token (HTTP ${res.status}).`);
  const host = res.body.addresses[0] ?? new URL(running.state.url).hostname;
  const url = `${baseUrl(running.state.tls ? "https" : "http", host, running.state.port)}/#token=${encodeURIComponent(token)}`;
  if (flags.json) return printJson({ url, host, port: running.state.port });
  process.stdout.write(`${await renderQr(url)}\n${kleur.bold("Pairing URL:")} ${url}\n`);
}
