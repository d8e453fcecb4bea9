// GET /api/sessions/:id/changes, /diff and /api/files: git status and diffs, the tools' writes outside a repository, and every bad input refused with its documented error.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { ChangesResponseSchema, DiffResponseSchema, ErrorBodySchema, FileResponseSchema, MAX_FILE_BYTES } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

let repo: string;
let plain: string;
let outside: string;
const SECRET = "secret outside the roots\n";
const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd, stdio: "pipe" });

// Polling the events of a turn takes more requests than the default 120 a minute.
const d = useTestDaemon({
  limits: { requestsPerMinute: 100_000 },
  setup: (t) => {
    outside = tempDir("cc-outside-");
    writeFileSync(join(outside, "secret.txt"), SECRET);
    repo = join(t.workDir, "repo");
    mkdirSync(join(repo, "src"), { recursive: true });
    writeFileSync(join(repo, "src", "app.ts"), "const a = 1;\nconst b = 2;\nconst c = 3;\n");
    writeFileSync(join(repo, "logo.bin"), Buffer.from([0, 1, 2, 3]));
    writeFileSync(join(repo, "gone.txt"), "bye\n");
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", ".");
    git(repo, "commit", "-qm", "first");
    writeFileSync(join(repo, "src", "app.ts"), "const a = 1;\nconst b = 20;\nconst c = 3;\n");
    writeFileSync(join(repo, "logo.bin"), Buffer.from([0, 9, 9, 9]));
    writeFileSync(join(repo, "notes.md"), "# new\n");
    execFileSync("rm", [join(repo, "gone.txt")]);
    symlinkSync(join(outside, "secret.txt"), join(repo, "leak.txt"));
    plain = join(t.workDir, "plain");
    mkdirSync(plain);
    symlinkSync(join(outside, "secret.txt"), join(t.workDir, "link-out.txt"));
    writeFileSync(join(t.workDir, "big.txt"), "x".repeat(MAX_FILE_BYTES + 1));
    writeFileSync(join(t.workDir, "hello.py"), "print('hi')\n");
    writeFileSync(join(t.workDir, "blob.dat"), Buffer.from([1, 0, 2]));
  },
});

const get = async (path: string) => {
  const res = await fetch(d.url + path, { headers: { authorization: `Bearer ${d.token}` } });
  return { status: res.status, body: (await res.json()) as any };
};
const post = async (path: string, body: unknown) => {
  const res = await fetch(d.url + path, { method: "POST", headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const start = async (workingDirectory: string) => (await post("/api/stream/start", { workingDirectory })).body.sessionId as string;
const q = encodeURIComponent;
const expectError = (r: { status: number; body: unknown }, status: number, code: string) => {
  expect(r.status).toBe(status);
  expect(ErrorBodySchema.parse(r.body).data.code).toBe(code);
};

describe("a session in a git repository", () => {
  test("changes: git status of its directory (modified, deleted, untracked), the branch, paths relative to the top level", async () => {
    const id = await start(join(repo, "src"));
    const r = await get(`/api/sessions/${id}/changes`);
    expect(r.status).toBe(200);
    const body = ChangesResponseSchema.parse(r.body);
    expect(body).toMatchObject({ source: "git", base: repo, branch: "main", truncated: false });
    // `-- .` from src/: only what changed under the session's own directory.
    expect(body.files).toEqual([{ path: "src/app.ts", status: "modified" }]);
    const top = ChangesResponseSchema.parse((await get(`/api/sessions/${await start(repo)}/changes`)).body);
    expect(top.files).toEqual([
      { path: "gone.txt", status: "deleted" },
      { path: "logo.bin", status: "modified" },
      { path: "src/app.ts", status: "modified" },
      { path: "leak.txt", status: "untracked" },
      { path: "notes.md", status: "untracked" },
    ]);
  });

  test("diff: a unified diff against HEAD with hunk line numbers; untracked against nothing; binary marked; a symlink out of the roots is not followed", async () => {
    const id = await start(repo);
    const m = DiffResponseSchema.parse((await get(`/api/sessions/${id}/diff?path=${q("src/app.ts")}`)).body);
    expect(m).toMatchObject({ source: "git", status: "modified", against: "head", binary: false, truncated: false });
    expect(m.diff).toContain("@@ -1,3 +1,3 @@\n const a = 1;\n-const b = 2;\n+const b = 20;\n const c = 3;\n");
    const n = DiffResponseSchema.parse((await get(`/api/sessions/${id}/diff?path=notes.md`)).body);
    expect(n).toMatchObject({ status: "untracked", against: "nothing" });
    expect(n.diff).toContain("+++ b/notes.md\n@@ -0,0 +1 @@\n+# new\n");
    const g = DiffResponseSchema.parse((await get(`/api/sessions/${id}/diff?path=gone.txt`)).body);
    expect(g.diff).toContain("-bye\n");
    const b = DiffResponseSchema.parse((await get(`/api/sessions/${id}/diff?path=logo.bin`)).body);
    expect(b).toMatchObject({ binary: true, diff: "" });
    const leak = DiffResponseSchema.parse((await get(`/api/sessions/${id}/diff?path=leak.txt`)).body);
    expect(leak.diff).toContain(`+${join(outside, "secret.txt")}`);
    expect(leak.diff).not.toContain(SECRET.trim());
  });

  test("diff of a path that is not a changed file (unchanged, traversal, absolute) is CHANGE_NOT_FOUND; no path or two is BAD_REQUEST", async () => {
    const id = await start(repo);
    for (const p of ["README.md", "../plain", "src/../../link-out.txt", join(outside, "secret.txt"), "src"]) {
      expectError(await get(`/api/sessions/${id}/diff?path=${q(p)}`), 404, "CHANGE_NOT_FOUND");
    }
    expectError(await get(`/api/sessions/${id}/diff`), 400, "BAD_REQUEST");
    expectError(await get(`/api/sessions/${id}/diff?path=a&path=b`), 400, "BAD_REQUEST");
    expectError(await get(`/api/sessions/${id}/diff?path=${"x".repeat(4097)}`), 400, "BAD_REQUEST");
  });
});

describe("a session outside any repository", () => {
  test("changes: the files Claude's tools wrote in this session (not a repository); the diff shows the new file's lines", async () => {
    const id = await start(plain);
    expect(ChangesResponseSchema.parse((await get(`/api/sessions/${id}/changes`)).body)).toMatchObject({ source: "tools", base: plain, branch: null, files: [] });
    // Write inside the session's directory is allowed without asking by the default tool rules.
    await post(`/api/stream/${id}`, { prompt: "permission written.txt" });
    await vi.waitFor(async () => {
      const events = (await get(`/api/sessions/${id}/events`)).body.events as any[];
      expect(events.some((e) => e.type === "streamComplete")).toBe(true);
    }, { timeout: 20_000, interval: 100 });
    const changes = ChangesResponseSchema.parse((await get(`/api/sessions/${id}/changes`)).body);
    expect(changes.files).toEqual([{ path: "written.txt", status: "added" }]);
    const diff = DiffResponseSchema.parse((await get(`/api/sessions/${id}/diff?path=written.txt`)).body);
    expect(diff).toMatchObject({ source: "tools", against: "nothing", binary: false });
    expect(diff.diff).toBe("--- /dev/null\n+++ b/written.txt\n@@ -0,0 +1,1 @@\n+hello from fake claude\n");
  });
});

describe("GET /api/files", () => {
  test("a text file inside the roots: its content, size and a language; a binary one is marked without content", async () => {
    const f = FileResponseSchema.parse((await get(`/api/files?path=${q(join(d.workDir, "hello.py"))}`)).body);
    expect(f).toMatchObject({ content: "print('hi')\n", size: 12, binary: false, language: "python" });
    expect(FileResponseSchema.parse((await get(`/api/files?path=${q(join(d.workDir, "blob.dat"))}`)).body)).toMatchObject({ binary: true, content: null, size: 3 });
  });

  test("refused: traversal out of the roots, a symlink leading out, a directory, a missing file, a FIFO (FORBIDDEN_PATH); too large (FILE_TOO_LARGE); relative or missing path (BAD_REQUEST)", async () => {
    const fifo = join(d.workDir, "pipe");
    execFileSync("mkfifo", [fifo]);
    for (const p of [join(d.workDir, "..", "..", "etc", "passwd"), join(outside, "secret.txt"), join(d.workDir, "link-out.txt"), plain, join(d.workDir, "nope.txt"), fifo, `${d.workDir}/a\0b`]) {
      const r = await get(`/api/files?path=${q(p)}`);
      expectError(r, 403, "FORBIDDEN_PATH");
      expect(JSON.stringify(r.body)).not.toContain(SECRET.trim());
    }
    const big = await get(`/api/files?path=${q(join(d.workDir, "big.txt"))}`);
    expectError(big, 413, "FILE_TOO_LARGE");
    expect(big.body.data.details).toMatchObject({ size: MAX_FILE_BYTES + 1, limit: MAX_FILE_BYTES });
    expectError(await get(`/api/files?path=hello.py`), 400, "BAD_REQUEST");
    expectError(await get(`/api/files`), 400, "BAD_REQUEST");
  });
});

test("the companion's own config directory (master token, devices) and Claude Code's credentials are refused even inside the roots", async () => {
  const work = tempDir("cc-protected-");
  const configDir = join(work, ".companion");
  const claudeDir = join(work, ".claude");
  mkdirSync(claudeDir);
  writeFileSync(join(claudeDir, ".credentials.json"), '{"claudeAiOauth":{"accessToken":"sk-ant-oat-SECRET"}}');
  writeFileSync(join(work, "ok.txt"), "fine\n");
  const t = await d.start({ workDir: work, configDir, childEnv: { ...process.env, CLAUDE_CONFIG_DIR: claudeDir, FAKE_CLAUDE_STATE_DIR: tempDir("cc-fake-state-") } });
  const read = async (p: string) => {
    const res = await fetch(`${t.url}/api/files?path=${q(p)}`, { headers: { authorization: `Bearer ${t.token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  expect((await read(join(work, "ok.txt"))).body.content).toBe("fine\n");
  const inConfig = readdirSync(configDir).filter((n) => statSync(join(configDir, n)).isFile());
  expect(inConfig.length).toBeGreaterThan(0);
  for (const p of [...inConfig.map((n) => join(configDir, n)), join(claudeDir, ".credentials.json")]) {
    const r = await read(p);
    expectError(r, 403, "FORBIDDEN_PATH");
    expect(r.body.data.message).toContain("the companion's own configuration or Claude Code's credentials");
    expect(JSON.stringify(r.body)).not.toContain("SECRET");
  }
});

test("an unknown session is SESSION_NOT_FOUND, a malformed id BAD_REQUEST, and without a token 401", async () => {
  const unknown = "11111111-1111-4111-8111-111111111111";
  expectError(await get(`/api/sessions/${unknown}/changes`), 404, "SESSION_NOT_FOUND");
  expectError(await get(`/api/sessions/${unknown}/diff?path=a`), 404, "SESSION_NOT_FOUND");
  expectError(await get(`/api/sessions/not-an-id/changes`), 400, "BAD_REQUEST");
  expect((await fetch(`${d.url}/api/files?path=${q(join(d.workDir, "hello.py"))}`)).status).toBe(401);
});
