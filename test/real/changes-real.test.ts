// The Changes view outside a git repository against the REAL CLI: the files its Write tool wrote, and the diff of a
// rewritten file against the content before, taken from the CLI's own tool result (originalFile).
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { ChangesResponseSchema, DiffResponseSchema } from "../../src/protocol/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const LONG = 120_000;
let api: FakeAnthropicApi;
let d: TestDaemon;

beforeAll(async () => {
  if (!realClaudeInstalled()) return;
  api = await startFakeAnthropicApi();
  // Not a repository: /tmp is in none. The default tool rules let Read, Write and Edit work inside it without asking.
  d = await startTestDaemon({
    workDir: realpathSync(tempDir("cc-changes-plain-")),
    env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_MAX_RETRIES: "0" },
    childEnv: realClaudeEnv(api, tempDir("cc-changes-claude-")),
    limits: { requestsPerMinute: 100_000 },
  });
}, LONG);
afterAll(async () => {
  await d?.close();
  await api?.close();
  cleanupTempDirs();
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(d.url + path, { method, headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await res.json()) as any;
};
const completed = async (id: string, n: number) =>
  vi.waitFor(async () => {
    const events = (await call("GET", `/api/sessions/${id}/events?limit=5000`)).events as any[];
    expect(events.filter((e) => e.type === "streamComplete")).toHaveLength(n);
    return events;
  }, { timeout: LONG, interval: 250 });

describe.skipIf(!realClaudeInstalled())("Changes outside a repository (real CLI)", () => {
  test("the files Write wrote are listed (modified, added); a rewritten file's diff is against its content before the session's first write", async () => {
    const notes = join(d.workDir, "notes.txt");
    writeFileSync(notes, "one\ntwo\n");
    const created = join(d.workDir, "created.txt");
    // 2.1.332 in -p mode writes over a file it has not Read in this session (no "read it first" refusal).
    const { sessionId: id } = await call("POST", "/api/stream/start", { prompt: `please WRITEFILE ${notes}` });
    await completed(id, 1);
    await call("POST", `/api/stream/${id}`, { prompt: `please WRITEFILE ${created}` });
    const events = await completed(id, 2);
    expect(readFileSync(notes, "utf8")).toBe("hi\n");

    // What the daemon relies on, as the CLI 2.1.332 reports it: Write's structured result says create or update and, for an update, the content before.
    const results = events.filter((e) => e.type === "streamToolUse" && e.data.phase === "result" && e.data.structured?.filePath);
    expect(results.map((e) => ({ type: e.data.structured.type, filePath: e.data.structured.filePath, originalFile: e.data.structured.originalFile }))).toEqual([
      { type: "update", filePath: notes, originalFile: "one\ntwo\n" },
      { type: "create", filePath: created, originalFile: null },
    ]);

    const changes = ChangesResponseSchema.parse(await call("GET", `/api/sessions/${id}/changes`));
    expect(changes).toMatchObject({ source: "tools", base: d.workDir, branch: null, truncated: false });
    expect(changes.files).toEqual([
      { path: "created.txt", status: "added" },
      { path: "notes.txt", status: "modified" },
    ]);
    const diff = DiffResponseSchema.parse(await call("GET", `/api/sessions/${id}/diff?path=notes.txt`));
    expect(diff).toMatchObject({ against: "before", status: "modified", binary: false });
    expect(diff.diff).toBe("--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,1 @@\n-one\n-two\n+hi\n");
    const added = DiffResponseSchema.parse(await call("GET", `/api/sessions/${id}/diff?path=created.txt`));
    expect(added).toMatchObject({ against: "nothing", diff: "--- /dev/null\n+++ b/created.txt\n@@ -0,0 +1,1 @@\n+hi\n" });
  }, LONG * 2);
});
