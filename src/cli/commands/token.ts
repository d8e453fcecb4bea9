// `token`: print the master token; `--rotate` replaces it (on the running daemon at once).
import { callDaemon, cliContext, fail, printJson } from "../common.js";

export async function tokenCommand(flags: { rotate?: boolean; json?: boolean; configDir?: string }): Promise<void> {
  const { store, running, ...ctx } = await cliContext(flags);
  let token = ctx.token;
  if (flags.rotate) {
    if (ctx.tokenFromEnv) fail("The token comes from AUTH_TOKEN; change that variable instead.", 2);
    if (running) {
      const res = await callDaemon<{ data?: { message?: string } } | null>(running.state, "/api/token/rotate", token, { method: "POST" });
      if (res.status !== 200) fail(`The daemon refused to rotate the token (HTTP ${res.status}): ${res.body?.data?.message ?? "no reason given"}`);
    } else {
      store.rotateToken();
    }
    token = store.ensureToken();
  }
  if (flags.json) printJson({ token, rotated: Boolean(flags.rotate) });
  else process.stdout.write(`${token}\n`);
}
