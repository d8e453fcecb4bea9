// The daemon's process runs with the V8 settings of daemon/v8-tuning.ts (issue 20, idle memory): functional, not timed.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { FAKE_CLAUDE, startCli } from "../helpers/cli-process.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const TRACE = resolve(import.meta.dirname, "../fixtures/runtime-trace.mjs");
let proc: ReturnType<typeof startCli> | undefined;

afterEach(async () => {
  await proc?.stop();
  proc = undefined;
});
afterAll(() => cleanupTempDirs());

describe("start: V8 tuned for a small idle daemon", () => {
  test("the young generation keeps its initial size through start-up (V8 alone grows it to 16 MiB and keeps it)", async () => {
    const dir = tempDir("cc-v8-");
    const heapFile = join(dir, "heap.json");
    proc = startCli(["--host", "127.0.0.1", "--port", "0", "--no-bonjour"], {
      CLAUDE_COMPANION_CONFIG_DIR: join(dir, "config"),
      CLAUDE_CLI_PATH: FAKE_CLAUDE,
      WARM_POOL: "0",
      LOG_FORMAT: "json",
      RUNTIME_TRACE_HEAP: heapFile,
    }, ["--import", TRACE]);
    const url = await proc.ready;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(await proc.stop()).toBe(0);
    const heap = JSON.parse(readFileSync(heapFile, "utf8")) as { initialNewSpace: number; newSpace: number };
    // V8 rounds a growth factor of 1 up to one doubling; without the setting it doubles four times (1 -> 16 MiB).
    expect(heap.newSpace).toBeLessThanOrEqual(2 * heap.initialNewSpace);
  }, 60_000);
});
