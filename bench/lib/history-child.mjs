// argv[2]: a Claude config dir. Lists it twice with the built history room (dist/) and prints JSON with the
// times and the heap kept after a GC (run with --expose-gc), so the cache's own size is seen apart from RSS.
import { createHistory, createLogger } from "../../dist/index.js";

const heap = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const history = createHistory({ claudeConfigDir: process.argv[2], allowedRoots: ["/"], logger: createLogger({ format: "json", level: "silent" }) });
const before = heap();
let t = performance.now();
await history.list({ limit: 50 });
const coldMs = performance.now() - t;
t = performance.now();
await history.list({ limit: 50 });
const cachedMs = performance.now() - t;
process.stdout.write(`${JSON.stringify({ coldMs, cachedMs, retainedHeapMb: heap() - before })}\n`);
