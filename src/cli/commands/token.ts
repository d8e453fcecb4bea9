// `token`: print the master token; `--rotate` replaces it (on the running daemon at once).
import { callDaemon, currentToken, fail, findRunningDaemon, openStoreOrExit, printJson } from "../common.js";
import { processEnv } from "../../config/index.js";

export async function tokenCommand(flags: { rotate?: boolean; json?: boolean; configDir?: string }): Promise<void> {
  const store = openStoreOrExit(flags.configDir);
  let token = currentToken(store);
  if (flags.rotate) {
    if (processEnv().AUTH_TOKEN) fail("The token comes from AUTH_TOKEN; change that variable instead.", 2);
    const running = findRunningDaemon(store.dir);
    if (running) {
      const res = await callDaemon(running.state, "/api/token/rotate", token, { method: "POST" });
      if (res.status !== 200) fail(`The daemon refused to rotate the token (HTTP ${res.status}).`);
    } else {
      store.rotateToken();
    }
    token = store.ensureToken();
  }
  if (flags.json) printJson({ token, rotated: Boolean(flags.rotate) });
  else process.stdout.write(`${token}\n`);
}
