// What an idle daemon has not loaded, and what its chunks cost to keep (issue 20, idle memory): functional, not timed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { FAKE_CLAUDE, startCli } from "../helpers/cli-process.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const TRACE = resolve(import.meta.dirname, "../fixtures/runtime-trace.mjs");
const DIST = resolve(import.meta.dirname, "../../dist");
let proc: ReturnType<typeof startCli> | undefined;

afterEach(async () => {
  await proc?.stop();
  proc = undefined;
});
afterAll(() => cleanupTempDirs());

/** The built chunks (file names in dist/) holding a package's code, read from their source maps. */
function chunksOf(pkg: string): string[] {
  return readdirSync(DIST).filter((f) => {
    if (!f.endsWith(".js") || !existsSync(join(DIST, `${f}.map`))) return false;
    const map = JSON.parse(readFileSync(join(DIST, `${f}.map`), "utf8")) as { sources: string[] };
    return map.sources.some((s) => s.includes(`node_modules/${pkg}/`));
  });
}

describe("start: an idle daemon", () => {
  test("has not loaded web-push (it loads with the first push sent)", async () => {
    const dir = tempDir("cc-lazy-");
    const modules = join(dir, "modules.txt");
    proc = startCli(["--host", "127.0.0.1", "--port", "0", "--no-bonjour"], {
      CLAUDE_COMPANION_CONFIG_DIR: join(dir, "config"),
      CLAUDE_CLI_PATH: FAKE_CLAUDE,
      WARM_POOL: "0",
      LOG_FORMAT: "json",
      RUNTIME_TRACE_MODULES: modules,
    }, ["--import", TRACE]);
    const url = await proc.ready;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const loaded = readFileSync(modules, "utf8").split("\n").filter((u) => u.includes("/dist/")).map((u) => u.slice(u.lastIndexOf("/") + 1));
    // The trace sees the daemon's chunks, and the build does hold web-push.
    expect(loaded).toContain("cli.js");
    const webPush = chunksOf("web-push");
    expect(webPush.length).toBeGreaterThan(0);
    expect(loaded.filter((f) => webPush.includes(f))).toEqual([]);
  }, 60_000);
});

describe("the build", () => {
  test("every chunk is ASCII: V8 keeps each chunk's source, and one other character makes it a two-byte string (tsup.config.ts asciiOnly)", () => {
    const chunks = readdirSync(DIST).filter((f) => f.endsWith(".js"));
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.filter((f) => /[^\x00-\x7f]/.test(readFileSync(join(DIST, f), "utf8")))).toEqual([]);
  });

  test("holds no ajv or semver: conf imports them only for schemas and migrations, which the store never passes (scripts/conf-without-schemas.mjs)", () => {
    expect(chunksOf("conf").length).toBeGreaterThan(0);
    expect([...chunksOf("ajv"), ...chunksOf("semver")]).toEqual([]);
  });
});
