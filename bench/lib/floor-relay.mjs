// The floor: a bare `ws` server that spawns the CLI like the daemon does and forwards each stdout line, untouched,
// to the sockets subscribed to it. No parsing, no log, no seq: what relaying costs at the least.
// argv[2]: JSON { cli, childEnv, cwd }. Prints `READY <port>`. Client frames (JSON): {op:"spawn", n} -> {op:"spawned", ids},
// {op:"subscribe", id}, {op:"prompt", id, text}.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { WebSocketServer } from "ws";

const opts = JSON.parse(process.argv[2] ?? "{}");
const clis = new Map();

function startCli() {
  const id = randomUUID();
  const args = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--permission-prompt-tool", "stdio",
    "--permission-mode", "default", "--include-partial-messages", "--allowedTools", "Read,Write,Edit", "--session-id", id];
  const child = spawn(opts.cli, args, { cwd: opts.cwd, env: opts.childEnv, stdio: ["pipe", "pipe", "ignore"] });
  const cli = { id, child, subscribers: new Set() };
  clis.set(id, cli);
  let rest = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    let start = 0;
    let nl = chunk.indexOf("\n");
    if (nl === -1) {
      rest += chunk;
      return;
    }
    let line = rest + chunk.slice(0, nl);
    for (;;) {
      for (const ws of cli.subscribers) ws.send(line);
      start = nl + 1;
      nl = chunk.indexOf("\n", start);
      if (nl === -1) break;
      line = chunk.slice(start, nl);
    }
    rest = chunk.slice(start);
  });
  // Ready once it answered initialize, as a daemon session is.
  const ready = new Promise((resolve, reject) => {
    const onData = (d) => {
      if (String(d).includes('"control_response"')) {
        child.stdout.off("data", onData);
        resolve(id);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`cli exited ${code}`)));
  });
  child.stdin.write(`${JSON.stringify({ type: "control_request", request_id: randomUUID(), request: { subtype: "initialize" } })}\n`);
  return ready;
}

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
wss.on("connection", (ws) => {
  ws.on("message", async (raw) => {
    const msg = JSON.parse(String(raw));
    if (msg.op === "spawn") {
      const ids = await Promise.all(Array.from({ length: msg.n ?? 1 }, startCli));
      ws.send(JSON.stringify({ op: "spawned", ids }));
    } else if (msg.op === "subscribe") {
      clis.get(msg.id)?.subscribers.add(ws);
      ws.send(JSON.stringify({ op: "subscribed", id: msg.id }));
    } else if (msg.op === "prompt") {
      const line = { type: "user", message: { role: "user", content: msg.text }, parent_tool_use_id: null, session_id: msg.id, uuid: randomUUID() };
      clis.get(msg.id)?.child.stdin.write(`${JSON.stringify(line)}\n`);
    } else if (msg.op === "kill") {
      clis.get(msg.id)?.child.kill("SIGKILL");
      clis.delete(msg.id);
    }
  });
  ws.on("close", () => {
    for (const cli of clis.values()) cli.subscribers.delete(ws);
  });
});
wss.on("listening", () => process.stdout.write(`READY ${wss.address().port}\n`));

const stop = () => {
  for (const cli of clis.values()) cli.child.kill("SIGKILL");
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
