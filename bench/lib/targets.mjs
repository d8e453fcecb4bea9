// The two relays a benchmark client talks to, behind one shape: the daemon (our protocol) and the floor (bare ws relay).
// A target opens sessions (each one CLI process), connects clients, subscribes them and sends prompts.
import path from "node:path";
import WebSocket from "ws";
import { FAKE_CLAUDE, spawnTracked, startDaemonChild, stopChild, tempDir, waitForLine, ROOT } from "./procs.mjs";
import { waitingFor } from "./waits.mjs";

/** Opens a WebSocket and resolves once it is open (and, for the daemon, once `welcome` arrived). */
function openSocket(url, options, firstFrame, timeoutMs = 30_000) {
  return waitingFor(`${firstFrame ? "the first frame" : "the open"} of a WebSocket to ${url}`, new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const timer = setTimeout(() => {
      ws.terminate();
      fail(new Error(`WebSocket to ${url}: not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (e) => {
      clearTimeout(timer);
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    ws.once("error", fail);
    ws.once("unexpected-response", (_req, res) => fail(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    const ready = () => {
      clearTimeout(timer);
      ws.off("error", fail);
      resolve(ws);
    };
    if (firstFrame) ws.once("message", ready);
    else ws.once("open", ready);
  }));
}

/** Waits for the first frame for which `match(text)` is true. */
function nextFrame(ws, match, timeoutMs = 60_000, what = "a matching frame") {
  return waitingFor(what, new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off("message", onMessage);
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (data) => {
      const text = String(data);
      if (!match(text)) return;
      clearTimeout(timer);
      ws.off("message", onMessage);
      resolve(text);
    };
    ws.on("message", onMessage);
  }));
}

let requestCounter = 0;

/**
 * The daemon in a child process (programmatic startDaemon, fake CLI unless `env.CLAUDE_CLI_PATH` says otherwise).
 * Sessions are opened by a client's `streamStart` without a prompt; every run is one `streamSend`.
 */
export async function daemonTarget({ env = {}, limits = {}, nodeArgs } = {}) {
  const daemon = await startDaemonChild({
    nodeArgs,
    env: { MAX_SESSIONS: "100", WARM_POOL: "0", ...env },
    limits: { maxSocketsPerAddress: 1000, requestsPerMinute: 1_000_000, ...limits },
  });
  const headers = { Authorization: `Bearer ${daemon.token}` };
  return {
    name: "daemon",
    pid: daemon.pid,
    daemon,
    isDelta: (t) => t.includes('"kind":"delta"'),
    // Deltas are coalesced: one frame carries many tokens.
    deltaText: (t) => JSON.parse(t).data.text,
    isComplete: (t) => t.includes('"type":"streamComplete"'),
    async connect() {
      const ws = await openSocket(daemon.wsUrl, { headers, perMessageDeflate: false }, true);
      return ws;
    },
    /** A new session, with `ws` subscribed to it (streamStart subscribes its sender). */
    async openSession(ws) {
      const requestId = `open-${++requestCounter}`;
      const done = nextFrame(ws, (t) => t.includes('"replayComplete"') && t.includes(`"requestId":"${requestId}"`), 60_000, `the daemon's replayComplete of streamStart ${requestId}`);
      ws.send(JSON.stringify({ type: "streamStart", requestId, data: {} }));
      const frame = JSON.parse(await done);
      return frame.sessionId;
    },
    async subscribe(ws, sessionId) {
      const requestId = `sub-${++requestCounter}`;
      const done = nextFrame(ws, (t) => t.includes('"replayComplete"') && t.includes(`"requestId":"${requestId}"`), 60_000, `the daemon's replayComplete of subscribe ${requestId}`);
      ws.send(JSON.stringify({ type: "subscribe", requestId, sessionId, data: { lastSeq: 0 } }));
      await done;
    },
    prompt(ws, sessionId, text) {
      ws.send(JSON.stringify({ type: "streamSend", requestId: `p-${++requestCounter}`, sessionId, data: { prompt: text } }));
    },
    async closeSession(ws, sessionId) {
      const requestId = `close-${++requestCounter}`;
      const done = nextFrame(ws, (t) => t.includes(`"requestId":"${requestId}"`), 60_000, `the daemon's answer to streamClose ${requestId}`);
      ws.send(JSON.stringify({ type: "streamClose", requestId, sessionId, data: {} }));
      await done;
    },
    close: () => daemon.close(),
  };
}

/** The floor relay in a child process, spawning the same fake CLI with the same arguments. */
export async function floorTarget({ cli = FAKE_CLAUDE, childEnv } = {}) {
  const cwd = tempDir("cc-bench-floor-work-");
  const env = childEnv ?? { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-bench-floor-state-") };
  const child = spawnTracked(process.execPath, [path.join(ROOT, "bench/lib/floor-relay.mjs"), JSON.stringify({ cli, childEnv: env, cwd })], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume();
  const port = Number((await waitForLine(child, /READY (\d+)\n/))[1]);
  const url = `ws://127.0.0.1:${port}`;
  return {
    name: "floor",
    pid: child.pid,
    isDelta: (t) => t.includes('"text_delta"'),
    deltaText: (t) => JSON.parse(t).event.delta.text,
    isComplete: (t) => t.includes('"type":"result"'),
    async connect() {
      return openSocket(url, { perMessageDeflate: false }, false);
    },
    async openSession(ws) {
      const done = nextFrame(ws, (t) => t.includes('"spawned"'), 60_000, "the floor relay's spawned frame");
      ws.send(JSON.stringify({ op: "spawn", n: 1 }));
      const id = JSON.parse(await done).ids[0];
      await this.subscribe(ws, id);
      return id;
    },
    async subscribe(ws, id) {
      const done = nextFrame(ws, (t) => t.includes('"subscribed"') && t.includes(id), 60_000, `the floor relay's subscribed frame of ${id}`);
      ws.send(JSON.stringify({ op: "subscribe", id }));
      await done;
    },
    prompt(ws, id, text) {
      ws.send(JSON.stringify({ op: "prompt", id, text }));
    },
    async closeSession(ws, id) {
      ws.send(JSON.stringify({ op: "kill", id }));
    },
    close: () => stopChild(child),
  };
}

/**
 * Counts frames on `ws` from the first delta to the completion frame. Resolves with
 * { frames, deltas, ms, firstAt, endAt } or rejects when the socket closes first (e.g. 1013 slow consumer).
 */
export function collectTurn(ws, target, { onDelta, timeoutMs = 300_000 } = {}) {
  let deltas = 0;
  return waitingFor(() => `the ${target.name}'s turn to complete (${deltas} deltas so far)`, new Promise((resolve, reject) => {
    let frames = 0;
    let chars = 0;
    let firstAt = 0;
    const timer = setTimeout(() => finish(new Error(`turn did not complete within ${timeoutMs} ms (${deltas} deltas)`)), timeoutMs);
    const onMessage = (data) => {
      const at = performance.now();
      const text = String(data);
      if (target.isDelta(text)) {
        if (deltas === 0) firstAt = at;
        deltas++;
        const dt = target.deltaText(text);
        chars += dt.length;
        if (onDelta) onDelta(dt, at);
      }
      if (deltas > 0) frames++;
      if (target.isComplete(text)) finish(null, { frames, deltas, chars, ms: at - firstAt, firstAt, endAt: at });
    };
    const onClose = (code, reason) => finish(new Error(`socket closed ${code} ${String(reason)} after ${deltas} deltas`));
    ws.on("message", onMessage);
    ws.once("close", onClose);
    function finish(error, result) {
      clearTimeout(timer);
      ws.off("message", onMessage);
      ws.off("close", onClose);
      if (error) reject(error);
      else resolve(result);
    }
  }));
}
