// `pair`: ask the running daemon for a fresh one-time pairing code and print its QR code, URL and expiry.
import kleur from "kleur";
import type { z } from "zod";
import type { PairingCodeResponseSchema } from "../../protocol/index.js";
import { renderQr } from "../banner.js";
import { callDaemon, cliContext, EXIT, fail, printJson } from "../common.js";

export async function pairCommand(flags: { json?: boolean; configDir?: string; via?: "lan" | "tailscale" | "public" }): Promise<void> {
  const ctx = await cliContext(flags);
  const { running } = ctx;
  if (!running) fail("claude-companion is not running.", EXIT.NOT_RUNNING, "Start it with: claude-companion start");
  const res = await callDaemon<z.infer<typeof PairingCodeResponseSchema>>(running.state, "/api/pairing-codes", ctx.token, {
    method: "POST",
    ...(flags.via ? { body: { via: flags.via } } : {}),
  });
  if (res.status !== 201) {
    const err = (res.body as unknown as { data?: { message?: string } } | null)?.data?.message;
    fail(err ?? `The daemon refused to issue a pairing code (HTTP ${res.status}).`, EXIT.ERROR, flags.via && flags.via !== "lan" ? "Pair with --via lan, or run `claude-companion doctor`." : undefined);
  }
  const code = res.body;
  if (flags.json) return printJson({ url: code.url, expiresAt: code.expiresAt, fingerprint: code.fingerprint, via: code.via });
  process.stdout.write(
    [
      await renderQr(code.url),
      `${kleur.bold("Pairing URL:")} ${code.url}`,
      kleur.gray(`One use, valid until ${new Date(code.expiresAt).toLocaleTimeString()}.`),
      ...(code.fingerprint ? [kleur.gray(`Certificate fingerprint: ${code.fingerprint}`)] : []),
      "",
    ].join("\n"),
  );
}
