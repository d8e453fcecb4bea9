// Fuzz of the Changes view's path queries (GET /api/files?path=, GET /api/sessions/:id/diff?path=): hostile paths get a
// file inside the roots or a documented error, never INTERNAL, and nothing outside the roots is ever sent.
import { execFileSync } from "node:child_process";
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ERRORS, ErrorBodySchema, type ErrorCode } from "../../src/protocol/index.js";
import type { TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { anyString, FUZZ_SEED, nastyString, pathSegment } from "./arbitraries.js";
import { closeTracked, raw, startTracked } from "./support.js";

const RUNS = Math.min(Number(process.env.HARDENING_RUNS ?? 5000), 600);
const SECRET = "TOP-SECRET-OUTSIDE-THE-ROOTS";
let d: TestDaemon;
let root: string;
let outside: string;
let sessionId: string;

beforeAll(async () => {
  root = realpathSync(tempDir("cc-fuzz-files-"));
  outside = realpathSync(tempDir("cc-fuzz-outside-"));
  writeFileSync(join(outside, "secret.txt"), SECRET);
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "a.ts"), "export const a = 1;\n");
  execFileSync("git", ["init", "-q"], { cwd: root });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "i"], { cwd: root });
  symlinkSync(join(outside, "secret.txt"), join(root, "src", "link.txt"));
  symlinkSync(outside, join(root, "dir-out"));
  d = await startTracked({ workDir: root, limits: { requestsPerMinute: 1e9, authFailuresPerMinute: 1e9 } });
  const res = await fetch(`${d.url}/api/stream/start`, { method: "POST", headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" }, body: "{}" });
  sessionId = ((await res.json()) as { sessionId: string }).sessionId;
}, 60_000);
afterAll(async () => {
  await closeTracked();
  cleanupTempDirs();
});

const piece = fc.constantFrom("..", ".", "src", "a.ts", "link.txt", "dir-out", "secret.txt", "", "%2e%2e", "..%2f", "\u0000", "~", "*", "?", "\\..", "a.ts/..", "//");
// Built in the tests: the directories exist only after beforeAll.
const pathArb = () => fc.oneof(
  fc.array(piece, { maxLength: 6 }).map((p) => p.join("/")),
  fc.array(piece, { maxLength: 6 }).map((p) => `${root}/${p.join("/")}`),
  fc.constantFrom("/etc/passwd", "/proc/self/environ", "/dev/zero", "/dev/stdin", `${outside}/secret.txt`, `${root}/dir-out/secret.txt`, `${root}/../${outside.split("/").pop()}/secret.txt`),
  nastyString,
  anyString.map((s) => s.slice(0, 200)),
);
const asQuery = (p: string) => fc.constantFrom(`path=${pathSegment(p)}`, `path=${p.replace(/[^\x21-\x7e]|[#&]/g, "")}`, `path=${pathSegment(p)}&path=x`, `path[]=${pathSegment(p)}`);

async function check(url: string, allowed: ErrorCode[]): Promise<void> {
  const r = await raw(d.url, { path: url, headers: { authorization: `Bearer ${d.token}` } });
  expect(r.text).not.toContain(SECRET);
  if (r.status === 200) return;
  const code = ErrorBodySchema.parse(JSON.parse(r.text)).data.code as ErrorCode;
  expect(allowed, r.text.slice(0, 300)).toContain(code);
  expect(r.status).toBe(ERRORS[code].status);
}

describe.sequential("path fuzz", () => {
  test("GET /api/files?path=: a file inside the roots, or BAD_REQUEST / FORBIDDEN_PATH / FILE_TOO_LARGE; never the secret", async () => {
    await fc.assert(
      fc.asyncProperty(pathArb().chain(asQuery), async (q) => {
        await check(`/api/files?${q}`, ["BAD_REQUEST", "FORBIDDEN_PATH", "FILE_TOO_LARGE"]);
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
  }, 120_000);

  test("GET /api/sessions/:id/diff?path=: a changed file's diff, or BAD_REQUEST / CHANGE_NOT_FOUND; never the secret", async () => {
    await fc.assert(
      fc.asyncProperty(pathArb().chain(asQuery), async (q) => {
        await check(`/api/sessions/${sessionId}/diff?${q}`, ["BAD_REQUEST", "CHANGE_NOT_FOUND"]);
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: FUZZ_SEED },
    );
  }, 120_000);
});
