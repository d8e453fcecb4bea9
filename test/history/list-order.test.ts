// The history listing's one order (lastActivity desc, then sessionId by code unit) shared by the sort and the page cursor.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { createHistory } from "../../src/history/index.js";
import { createLogger } from "../../src/log.js";
import { FAKE_CLAUDE, runCli, startCli } from "../helpers/cli-process.js";
import { copyHistoryFixtures, FIXTURE, type HistoryFixture } from "../helpers/history-fixtures.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

let proc: ReturnType<typeof startCli> | undefined;
afterEach(async () => {
  await proc?.stop();
  proc = undefined;
});
afterAll(cleanupTempDirs);

/** One instant several transcripts share: by their records' timestamps, or (no timestamp) by the file's mtime. */
const SAME = Date.parse("2026-12-01T20:00:00.000Z");
const BY_TIMESTAMP = [
  "f0000000-0000-4000-8000-000000000001",
  "0fffffff-ffff-4fff-bfff-ffffffffffff",
  "a0000000-0000-4000-8000-000000000000",
  "9aaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
  "a0000000-0000-4000-8000-00000000000a",
];
const BY_MTIME = ["b1111111-1111-4111-8111-111111111111", "01111111-1111-4111-8111-111111111111"];
/** Untimed transcripts whose files say 1969: a negative lastActivity, so a negative cursor between them. */
const BEFORE_1970 = ["d3333333-3333-4333-8333-333333333333", "d4444444-4444-4444-8444-444444444444"];

/** The recorded fixtures plus the tied transcripts above, in the "edge" project folder. */
function tiedFixtures(): HistoryFixture {
  const fx = copyHistoryFixtures();
  // A complete user record of a hand-made fixture, copied under new ids into the same project folder.
  const torn = fx.fileOf(FIXTURE.torn);
  const first = JSON.parse(readFileSync(torn, "utf8").split("\n")[0]!) as Record<string, unknown>;
  const write = (id: string, record: Record<string, unknown>) => {
    const file = path.join(path.dirname(torn), `${id}.jsonl`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...record, sessionId: id, message: { role: "user", content: `prompt of ${id}` } }) + "\n");
    return file;
  };
  for (const id of BY_TIMESTAMP) write(id, { ...first, timestamp: new Date(SAME).toISOString() });
  for (const id of BY_MTIME) {
    const { timestamp: _dropped, ...untimed } = first;
    const file = write(id, untimed);
    utimesSync(file, SAME / 1000, SAME / 1000);
  }
  for (const id of BEFORE_1970) {
    const { timestamp: _dropped, ...untimed } = first;
    // node's utimes turns a negative time into now: coreutils' touch sets it.
    execFileSync("touch", ["-d", "@-1000", write(id, untimed)]);
  }
  return fx;
}

function setup() {
  const fx = tiedFixtures();
  const logger = createLogger({ format: "json", level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  return createHistory({ claudeConfigDir: fx.claudeConfigDir, allowedRoots: [fx.workRoot], logger });
}

type Lister = (query: { limit: number; cursor?: string }) => Promise<{ sessions: { sessionId: string }[]; nextCursor: string | null }>;

async function pageThrough(list: Lister, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await list({ limit, ...(cursor ? { cursor } : {}) });
    expect(page.sessions.length).toBeLessThanOrEqual(limit);
    seen.push(...page.sessions.map((s) => s.sessionId));
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
  throw new Error("more than 100 pages");
}

describe("listing order", () => {
  test("sessions with the same lastActivity are ordered by sessionId (code units) and paged with limit 1 and 2 each exactly once, in the unpaged order", async () => {
    const history = setup();
    const all = (await history.list({ limit: 500 })).sessions;
    const ids = all.map((s) => s.sessionId);
    const tied = [...BY_TIMESTAMP, ...BY_MTIME].sort();
    expect(all.filter((s) => s.lastActivity === SAME).map((s) => s.sessionId)).toEqual(tied);
    // The tied run is contiguous, and the whole listing is newest first.
    expect(ids.slice(ids.indexOf(tied[0]!), ids.indexOf(tied[0]!) + tied.length)).toEqual(tied);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.lastActivity).toBeGreaterThanOrEqual(all[i]!.lastActivity);
    expect(ids.slice(-2)).toEqual(BEFORE_1970);
    expect(all.at(-1)!.lastActivity).toBe(-1_000_000);
    for (const limit of [1, 2]) {
      const paged = await pageThrough((q) => history.list(q), limit);
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged).toEqual(ids);
    }
    history.close();
  });

  test("a cursor that is not exactly one the listing wrote is BAD_REQUEST (query.cursor)", async () => {
    const history = setup();
    const first = await history.list({ limit: 1 });
    const good = first.nextCursor!;
    expect((await history.list({ limit: 1, cursor: good })).sessions).toHaveLength(1);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const bad = [
      "nonsense",
      `${good}!!`, // trailing characters base64url decoding would drop
      `${good}==`, // padding: not the form nextCursor has
      b64([SAME, "not-a-session-id"]),
      b64([SAME, BY_TIMESTAMP[0]!.toUpperCase()]),
      b64([SAME + 0.5, BY_TIMESTAMP[0]]),
      b64([1e300, BY_TIMESTAMP[0]]),
      b64([String(SAME), BY_TIMESTAMP[0]]),
      b64([SAME, BY_TIMESTAMP[0], "extra"]),
      b64({ lastActivity: SAME, sessionId: BY_TIMESTAMP[0] }),
    ];
    for (const cursor of bad) {
      await expect(history.list({ limit: 1, cursor }), cursor).rejects.toMatchObject({ code: "BAD_REQUEST", details: { path: "query.cursor" } });
    }
    history.close();
  });

  test("a daemon whose locale collates letters differently (LANG haw: vowels first) pages every tied session once, in its unpaged order", async () => {
    expect(existsSync(path.join(import.meta.dirname, "../../dist/cli.js")), "run `npm run build` first").toBe(true);
    const fx = tiedFixtures();
    // In Hawaiian collation "e" sorts before "b", "c" and "d": the ids below differ there first.
    const ids = ["b2222222-2222-4222-8222-222222222222", "e2222222-2222-4222-8222-222222222222", "c2222222-2222-4222-8222-222222222222"];
    const torn = fx.fileOf(FIXTURE.torn);
    const first = JSON.parse(readFileSync(torn, "utf8").split("\n")[0]!) as Record<string, unknown>;
    for (const id of ids) {
      const record = { ...first, sessionId: id, timestamp: new Date(SAME).toISOString(), message: { role: "user", content: `prompt of ${id}` } };
      writeFileSync(path.join(path.dirname(torn), `${id}.jsonl`), JSON.stringify(record) + "\n");
    }
    const env = {
      CLAUDE_COMPANION_CONFIG_DIR: tempDir("cc-histtie-cfg-"),
      CLAUDE_CONFIG_DIR: fx.claudeConfigDir,
      ALLOWED_ROOTS: fx.workRoot,
      CLAUDE_CLI_PATH: FAKE_CLAUDE,
      ENABLE_BONJOUR: "false",
      WARM_POOL: "0",
      NO_COLOR: "1",
      LANG: "haw_US.UTF-8",
      LC_ALL: "haw_US.UTF-8",
    };
    proc = startCli(["--host", "127.0.0.1", "--port", "0", "--log-format", "json"], env);
    const url = await proc.ready;
    const token = runCli(["token"], env).stdout.trim();
    const list: Lister = async ({ limit, cursor }) => {
      const res = await fetch(`${url}/api/history?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as Awaited<ReturnType<Lister>>;
    };
    const all = (await list({ limit: 500 })).sessions.map((s) => s.sessionId);
    for (const limit of [1, 2]) {
      const paged = await pageThrough(list, limit);
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged).toEqual(all);
    }
    const tied = [...BY_TIMESTAMP, ...BY_MTIME, ...ids].sort();
    expect(all.filter((id) => tied.includes(id))).toEqual(tied);
  }, 30_000);
});
