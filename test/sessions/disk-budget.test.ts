// SESSIONS_MAX_MB: the oldest closed sessions are pruned first, never an open one; /api/info shows the disk used.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, vi } from "vitest";
import { createSilentLogger } from "../../src/log.js";
import { createSessionStore } from "../../src/sessions/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

const daemons = useTestDaemon({ lazy: true });

const KB = 1024;
function writeSession(dir: string, closedAt: number | undefined, bytes: number): string {
  const id = randomUUID();
  const meta = { version: 1, sessionId: id, workingDirectory: dir, createdAt: 1, permissionMode: "default", ...(closedAt !== undefined ? { closedAt } : {}) };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(meta));
  writeFileSync(join(dir, `${id}.jsonl`), "x".repeat(bytes));
  return id;
}

test("over the budget, the oldest closed sessions go first until it fits; an open one stays even alone over it", () => {
  const dir = tempDir("cc-disk-");
  const now = Date.now();
  const open = writeSession(dir, undefined, 600 * KB);
  const oldest = writeSession(dir, now - 3000, 600 * KB);
  const middle = writeSession(dir, now - 2000, 600 * KB);
  const newest = writeSession(dir, now - 1000, 600 * KB);
  const store = createSessionStore({ dir, logger: createSilentLogger(), maxBytes: 1300 * KB });
  expect(store.usage()).toMatchObject({ maxBytes: 1300 * KB, sessions: 4 });
  expect(store.usage().usedBytes).toBeGreaterThan(2400 * KB);
  expect(store.prune(new Set([open]))).toEqual([oldest, middle]);
  expect([open, oldest, middle, newest].map((id) => existsSync(join(dir, `${id}.jsonl`)))).toEqual([true, false, false, true]);
  expect(store.usage().usedBytes).toBeLessThanOrEqual(1300 * KB);
  // A budget below what the open session alone takes: the closed one goes, the open one never does.
  const tight = createSessionStore({ dir, logger: createSilentLogger(), maxBytes: 100 * KB });
  expect(tight.prune(new Set([open]))).toEqual([newest]);
  expect(existsSync(join(dir, `${open}.jsonl`))).toBe(true);
});

test("a daemon prunes when a session closes, and /api/info reports the disk used against SESSIONS_MAX_MB", async () => {
  const configDir = tempDir("cc-disk-daemon-");
  const d = await daemons.start({ configDir, env: { SESSIONS_MAX_MB: "1" } });
  const dir = join(configDir, "sessions");
  const auth = { authorization: `Bearer ${d.token}`, "content-type": "application/json" };
  mkdirSync(dir, { recursive: true });
  const old = writeSession(dir, Date.now() - 60_000, 1100 * KB); // a closed session of an earlier run, over the budget alone
  const started = (await (await fetch(`${d.url}/api/stream/start`, { method: "POST", headers: auth, body: JSON.stringify({ prompt: "hello" }) })).json()) as { sessionId: string };
  const info = (await (await fetch(`${d.url}/api/info`, { headers: auth })).json()) as { disk: { usedBytes: number; maxBytes: number } };
  expect(info.disk.maxBytes).toBe(1024 * KB);
  expect(info.disk.usedBytes).toBeGreaterThan(1100 * KB);
  await fetch(`${d.url}/api/stream/${started.sessionId}`, { method: "DELETE", headers: auth });
  await vi.waitFor(() => expect(existsSync(join(dir, `${old}.jsonl`))).toBe(false));
  expect(existsSync(join(dir, `${started.sessionId}.jsonl`))).toBe(true);
});
