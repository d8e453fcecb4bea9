// The composer's routes: GET /api/files/search (names inside the roots, .gitignore respected, bounded, documented errors)
// and GET /api/sessions/:id/commands (the commands the session's Claude Code reported).
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ErrorBodySchema, FileSearchResponseSchema, SessionCommandsResponseSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

const write = (path: string, text = "x") => {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
};

const d = useTestDaemon({
  setup: (t) => {
    const plain = join(t.workDir, "plain");
    write(join(plain, "README.md"));
    write(join(plain, "src", "reader.ts"));
    write(join(plain, "src", "deep", "thread-reader.ts"));
    write(join(plain, "node_modules", "dep", "reader.js"));
    write(join(plain, "build", "reader.out"));
    write(join(plain, "notes.log"));
    write(join(plain, "keep.log"));
    write(join(plain, ".gitignore"), "build/\n*.log\n!keep.log\n");
    write(join(plain, "src", ".gitignore"), "deep/\n");
    symlinkSync(tempDir("cc-outside-"), join(plain, "link-out"));
    const repo = join(t.workDir, "repo");
    write(join(repo, "tracked.ts"));
    write(join(repo, "dist", "bundle.js"));
    write(join(repo, ".gitignore"), "dist/\n");
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.email=t@t", "-c", "user.name=t", ...args], { stdio: "ignore" });
    git("init", "-q");
    git("add", "tracked.ts", ".gitignore");
    git("commit", "-q", "-m", "init");
    write(join(repo, "untracked-new.ts"));
  },
});

const get = async (path: string) => {
  const res = await fetch(`${d.url}${path}`, { headers: { authorization: `Bearer ${d.token}` } });
  return { status: res.status, body: (await res.json()) as unknown };
};
const search = (query: Record<string, string>) => get(`/api/files/search?${new URLSearchParams(query)}`);

test("a directory that is no repository: a walk that skips node_modules and what its .gitignore files ignore, best matches first", async () => {
  const r = await search({ dir: join(d.workDir, "plain"), q: "READ" });
  expect(r.status).toBe(200);
  const body = FileSearchResponseSchema.parse(r.body);
  expect(body).toMatchObject({ dir: join(d.workDir, "plain"), source: "walk", truncated: false });
  // Name starts with it (reader.ts, README.md, shorter first); node_modules, build/ and src/deep/ are left out.
  expect(body.files).toEqual(["README.md", "src/reader.ts"]);
  const all = FileSearchResponseSchema.parse((await search({ dir: join(d.workDir, "plain") })).body);
  expect(all.files).toContain("keep.log");
  expect(all.files).not.toContain("notes.log");
  expect(all.files.some((f) => f.startsWith("link-out/"))).toBe(false);
});

test("a git repository: tracked and untracked files, ignored ones left out", async () => {
  const body = FileSearchResponseSchema.parse((await search({ dir: join(d.workDir, "repo") })).body);
  expect(body.source).toBe("git");
  expect(body.files.sort()).toEqual([".gitignore", "tracked.ts", "untracked-new.ts"]);
  const limited = FileSearchResponseSchema.parse((await search({ dir: join(d.workDir, "repo"), q: "t", limit: "1" })).body);
  expect(limited.files).toHaveLength(1);
});

test.each([
  ["a directory outside the roots", () => ({ dir: tempDir("cc-elsewhere-") }), 403, "FORBIDDEN_PATH"],
  ["a link out of the roots", () => ({ dir: join(d.workDir, "plain", "link-out") }), 403, "FORBIDDEN_PATH"],
  ["a climb out with ..", () => ({ dir: join(d.workDir, "..") }), 403, "FORBIDDEN_PATH"],
  ["a missing directory", () => ({ dir: join(d.workDir, "nope") }), 403, "FORBIDDEN_PATH"],
  ["a file, not a directory", () => ({ dir: join(d.workDir, "plain", "README.md") }), 403, "FORBIDDEN_PATH"],
  ["no dir", () => ({ q: "x" }), 400, "BAD_REQUEST"],
  ["a limit of 0", () => ({ dir: d.workDir, limit: "0" }), 400, "BAD_REQUEST"],
  ["a limit over 200", () => ({ dir: d.workDir, limit: "201" }), 400, "BAD_REQUEST"],
  ["a q over 200 characters", () => ({ dir: d.workDir, q: "x".repeat(201) }), 400, "BAD_REQUEST"],
  ["an unknown field", () => ({ dir: d.workDir, depth: "3" }), 400, "BAD_REQUEST"],
])("file search refuses %s", async (_name, query, status, code) => {
  const r = await search(query());
  expect(r.status).toBe(status);
  expect(ErrorBodySchema.parse(r.body).data.code).toBe(code);
});

test("file search needs a token", async () => {
  const res = await fetch(`${d.url}/api/files/search?dir=${encodeURIComponent(d.workDir)}`);
  expect(res.status).toBe(401);
});

test("a session's commands are what its Claude Code answered to initialize; an unknown session is SESSION_NOT_FOUND", async () => {
  const started = await fetch(`${d.url}/api/stream/start`, {
    method: "POST",
    headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" },
    body: "{}",
  });
  const { sessionId } = (await started.json()) as { sessionId: string };
  const r = await get(`/api/sessions/${sessionId}/commands`);
  expect(r.status).toBe(200);
  const body = SessionCommandsResponseSchema.parse(r.body);
  expect(body.source).toBe("claude");
  expect(body.commands.find((c) => c.name === "compact")).toMatchObject({ description: "Compact the conversation", builtin: true, unavailable: null });
  expect(body.commands.find((c) => c.name === "x")).toMatchObject({ description: "Say x things (project)", argumentHint: "[what]", builtin: false, unavailable: null });
  // A terminal-only built-in is listed, marked with why it is no use from the phone.
  expect(body.commands.find((c) => c.name === "color")).toMatchObject({ builtin: true, unavailable: expect.stringContaining("prompt bar") });
  // Closed: no Claude Code runs for it; the directory's own command files are read instead, built-ins left out.
  await fetch(`${d.url}/api/stream/${sessionId}`, { method: "DELETE", headers: { authorization: `Bearer ${d.token}` } });
  write(join(d.workDir, ".claude", "commands", "why.md"), '---\ndescription: "Why not"\nargument-hint: <what>\n---\nWhy $ARGUMENTS\n');
  write(join(d.workDir, ".claude", "commands", "sub", "plain.md"), "\nJust do it\nand more\n");
  write(join(d.workDir, ".claude", "skills", "my-skill", "SKILL.md"), "---\nname: my-skill\ndescription: A skill of mine\n---\nBody\n");
  expect(SessionCommandsResponseSchema.parse((await get(`/api/sessions/${sessionId}/commands`)).body)).toEqual({
    sessionId,
    source: "files",
    commands: [
      { name: "sub:plain", description: "Just do it (project)", argumentHint: "", aliases: [], builtin: false, unavailable: null },
      { name: "why", description: "Why not (project)", argumentHint: "<what>", aliases: [], builtin: false, unavailable: null },
      { name: "my-skill", description: "A skill of mine (project)", argumentHint: "", aliases: [], builtin: false, unavailable: null },
    ],
  });
  // A directory without command files: nothing to list (and the phone says why).
  const other = await fetch(`${d.url}/api/stream/start`, {
    method: "POST",
    headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" },
    body: JSON.stringify({ workingDirectory: join(d.workDir, "plain") }),
  });
  const otherId = ((await other.json()) as { sessionId: string }).sessionId;
  await fetch(`${d.url}/api/stream/${otherId}`, { method: "DELETE", headers: { authorization: `Bearer ${d.token}` } });
  expect(SessionCommandsResponseSchema.parse((await get(`/api/sessions/${otherId}/commands`)).body)).toEqual({ sessionId: otherId, source: "none", commands: [] });
  const missing = await get("/api/sessions/00000000-0000-4000-8000-000000000000/commands");
  expect(missing.status).toBe(404);
  expect(ErrorBodySchema.parse(missing.body).data.code).toBe("SESSION_NOT_FOUND");
  const bad = await get("/api/sessions/not-an-id/commands");
  expect(bad.status).toBe(400);
});
