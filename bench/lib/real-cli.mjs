// The real Claude CLI against the fake Messages API for the benchmarks: the API, the CLI's environment and arguments, its lines.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { build } from "esbuild";
import WebSocket from "ws";
import { ROOT, tempDir } from "./procs.mjs";
import { waitingFor } from "./waits.mjs";

/** The tests' own helpers (test/helpers/fake-api.ts: the fake Messages API and the real CLI's environment), compiled once. */
let helpers;
async function fakeApiHelpers() {
  if (!helpers) {
    const outfile = path.join(tempDir("cc-bench-api-"), "fake-api.mjs");
    await build({ entryPoints: [path.join(ROOT, "test/helpers/fake-api.ts")], bundle: true, outfile, format: "esm", platform: "node", logLevel: "error" });
    helpers = await import(outfile);
  }
  return helpers;
}

export async function startFakeApi() {
  return (await fakeApiHelpers()).startFakeAnthropicApi();
}

/** The tests' realClaudeEnv (offline, against the fake API, a private config dir), with two retries for a loaded machine. */
export async function realClaudeEnv(api, configDir) {
  return { ...(await fakeApiHelpers()).realClaudeEnv(api, configDir), CLAUDE_CODE_MAX_RETRIES: "2" };
}

export const CLI_ARGS = (sessionId) => ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--permission-prompt-tool", "stdio",
  "--permission-mode", "default", "--include-partial-messages", "--allowedTools", "Read,Write,Edit", "--session-id", sessionId];
const line = (obj) => `${JSON.stringify(obj)}\n`;
export const userMessage = (sessionId, text) => line({ type: "user", message: { role: "user", content: text }, parent_tool_use_id: null, session_id: sessionId, uuid: randomUUID() });
export const initialize = () => line({ type: "control_request", request_id: randomUUID(), request: { subtype: "initialize" } });

/** Waits until a stdout line satisfies `match`; resolves with performance.now() at that moment. */
export function lineWhere(child, match, what, timeoutMs = 30_000) {
  return waitingFor(`the bare CLI (pid ${child.pid}): ${what}`, new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => done(new Error(`CLI floor (pid ${child.pid}): no ${what} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d) => {
      const at = performance.now();
      buf += d;
      let nl;
      while ((nl = buf.indexOf("\n")) !== -1) {
        const l = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (match(l)) return done(null, at);
      }
    };
    const onExit = (code) => done(new Error(`CLI exited ${code}`));
    child.stdout.on("data", onData);
    child.once("exit", onExit);
    function done(err, at) {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve(at);
    }
  }));
}
export const isTextDelta = (l) => l.includes('"content_block_delta"') && l.includes('"text_delta"');

/** The bare CLI: cold = spawn + initialize + user message at once; warm = the user message to an initialized, idle CLI. */
/** A client of the daemon, resolved once its welcome frame arrived. */
export function connect(daemon, deflate = false, timeoutMs = 30_000) {
  return waitingFor(`the welcome frame of ${daemon.wsUrl}`, new Promise((resolve, reject) => {
    const ws = new WebSocket(daemon.wsUrl, { headers: { Authorization: `Bearer ${daemon.token}` }, perMessageDeflate: deflate });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no welcome frame from ${daemon.wsUrl} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once("message", () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  }));
}

/** streamStart {prompt} -> the first streamData (delta) frame; waits for the turn's end, then closes the session. */
