// Test helper: a private network namespace (root + iproute2) so mDNS never reaches the real network,
// and JSON-line child processes running inside it.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";

export interface Netns {
  name: string;
  /** Runs `node <script> ...args` inside the namespace. */
  spawnNode(script: string, args?: string[]): JsonChild;
  /** Kills the children started here and deletes the namespace. */
  remove(): void;
}

function ip(args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"], timeout: 5000 });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes namespaces left by test runs that were killed before their afterAll (their pid is gone). */
function removeStaleNamespaces(): void {
  let listing = "";
  try {
    listing = execFileSync("ip", ["netns", "list"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
  } catch {
    return;
  }
  for (const match of listing.matchAll(/^(cc-test-(\d+)-[0-9a-f]+)/gm)) {
    if (!isAlive(Number(match[2]))) {
      try {
        ip(["netns", "del", match[1]!]);
      } catch {
        // Someone else removed it.
      }
    }
  }
}

/**
 * Creates `cc-test-<pid>-<random>`. With multicast: lo up, multicast on, a 224.0.0.0/4 route on lo.
 * Without: lo left down, so a multicast send fails with ENETUNREACH. Returns the reason when
 * namespaces are unavailable (not root, no iproute2, no CAP_SYS_ADMIN in a container).
 */
export function createNetns(options: { multicast: boolean }): Netns | { skip: string } {
  removeStaleNamespaces();
  const name = `cc-test-${process.pid}-${randomBytes(3).toString("hex")}`;
  try {
    ip(["netns", "add", name]);
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer; message: string };
    const detail = err.code === "ENOENT" ? "the `ip` command (iproute2) is not installed" : (err.stderr?.toString().trim() || err.message);
    return { skip: `cannot create a network namespace (${detail}); these tests need Linux, iproute2 and root with CAP_SYS_ADMIN` };
  }
  const children = new Set<JsonChild>();
  const remove = () => {
    for (const child of children) child.kill();
    try {
      ip(["netns", "del", name]);
    } catch {
      // Already gone.
    }
  };
  try {
    if (options.multicast) {
      ip(["netns", "exec", name, "ip", "link", "set", "lo", "up"]);
      ip(["netns", "exec", name, "ip", "link", "set", "lo", "multicast", "on"]);
      ip(["netns", "exec", name, "ip", "route", "add", "224.0.0.0/4", "dev", "lo"]);
    }
  } catch (e) {
    remove();
    return { skip: `cannot configure the network namespace (${(e as Error).message})` };
  }
  return {
    name,
    spawnNode(script, args = []) {
      const child = new JsonChild(spawn("ip", ["netns", "exec", name, process.execPath, script, ...args], { stdio: "pipe" }));
      children.add(child);
      return child;
    },
    remove,
  };
}

export type JsonEvent = Record<string, unknown> & { event: string };

/** A child process that prints one JSON object per line; next() waits for a matching one. */
export class JsonChild {
  readonly events: JsonEvent[] = [];
  readonly stderr: string[] = [];
  private waiters: Array<{ match: (e: JsonEvent) => boolean; resolve: (e: JsonEvent) => void }> = [];
  private exited = false;

  constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on("line", (line) => {
      let event: JsonEvent;
      try {
        event = JSON.parse(line) as JsonEvent;
      } catch {
        event = { event: "stdout", line };
      }
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
    });
    proc.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString("utf8")));
    proc.on("exit", () => (this.exited = true));
  }

  /** The first event (already seen or coming) that matches; rejects after timeoutMs. */
  next(match: string | ((e: JsonEvent) => boolean), timeoutMs = 10_000): Promise<JsonEvent> {
    const test = typeof match === "string" ? (e: JsonEvent) => e.event === match : match;
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out after ${timeoutMs} ms waiting for an event; got ${JSON.stringify(this.events)}; stderr: ${this.stderr.join("")}`));
      }, timeoutMs);
      this.waiters.push({ match: test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  send(line: string): void {
    this.proc.stdin.write(line + "\n");
  }

  kill(): void {
    if (!this.exited && this.proc.pid !== undefined) this.proc.kill("SIGKILL");
  }
}
