// GET /api/directories: subdirectories inside the allowed roots only, git repositories marked, recent first; documented errors.
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { DirectoryListResponseSchema, ErrorBodySchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

let root: string;
let outside: string;
const d = useTestDaemon({
  setup: (t) => {
    root = t.workDir;
    outside = tempDir("cc-outside-");
    mkdirSync(join(root, "old-repo", ".git"), { recursive: true });
    mkdirSync(join(root, "new-notes"));
    mkdirSync(join(root, "old-repo", "src"));
    mkdirSync(join(root, ".hidden"));
    writeFileSync(join(root, "a-file.txt"), "x");
    symlinkSync(outside, join(root, "link-out"));
    symlinkSync(join(root, "new-notes"), join(root, "link-in"));
    utimesSync(join(root, "old-repo"), new Date(1_000_000_000_000), new Date(1_000_000_000_000));
    utimesSync(join(root, "new-notes"), new Date(1_700_000_000_000), new Date(1_700_000_000_000));
  },
});

const get = async (query: string) => {
  const res = await fetch(`${d.url}/api/directories${query}`, { headers: { authorization: `Bearer ${d.token}` } });
  return { status: res.status, body: (await res.json()) as unknown };
};

test("without a path: the allowed roots", async () => {
  const r = await get("");
  expect(r.status).toBe(200);
  const body = DirectoryListResponseSchema.parse(r.body);
  expect(body.roots).toEqual([root]);
  expect(body.path).toBeNull();
  expect(body.directories.map((x) => x.path)).toEqual([root]);
});

test("a root's subdirectories: recent first, git repositories marked, hidden ones and links out of the roots left out", async () => {
  const body = DirectoryListResponseSchema.parse((await get(`?path=${encodeURIComponent(root)}`)).body);
  expect(body.path).toBe(root);
  expect(body.parent).toBeNull();
  const names = body.directories.map((x) => x.name);
  expect(names).toContain("link-in");
  expect(names).not.toContain(".hidden");
  expect(names).not.toContain("link-out");
  expect(names).not.toContain("a-file.txt");
  expect(names.indexOf("new-notes")).toBeLessThan(names.indexOf("old-repo"));
  expect(body.directories.find((x) => x.name === "old-repo")).toMatchObject({ git: true, path: join(root, "old-repo") });
  expect(body.directories.find((x) => x.name === "new-notes")).toMatchObject({ git: false });
  const inner = DirectoryListResponseSchema.parse((await get(`?path=${encodeURIComponent(join(root, "old-repo"))}`)).body);
  expect(inner.parent).toBe(root);
  expect(inner.directories.map((x) => x.name)).toEqual(["src"]);
});

test.each([
  ["outside the roots", () => `?path=${encodeURIComponent(outside)}`, 403, "FORBIDDEN_PATH", /outside the allowed roots/],
  ["through a link out of the roots", () => `?path=${encodeURIComponent(join(root, "link-out"))}`, 403, "FORBIDDEN_PATH", /outside the allowed roots/],
  ["with .. out of the root", () => `?path=${encodeURIComponent(join(root, ".."))}`, 403, "FORBIDDEN_PATH", /outside the allowed roots/],
  ["a file", () => `?path=${encodeURIComponent(join(root, "a-file.txt"))}`, 403, "FORBIDDEN_PATH", /not a directory/],
  ["missing", () => `?path=${encodeURIComponent(join(root, "nope"))}`, 403, "FORBIDDEN_PATH", /does not exist/],
  ["an unknown query field", () => "?dir=/", 400, "BAD_REQUEST", /./],
])("%s: %i %s", async (_name, query, status, code, message) => {
  const r = await get(query());
  expect(r.status).toBe(status);
  const body = ErrorBodySchema.parse(r.body);
  expect(body.data.code).toBe(code);
  expect(body.data.message).toMatch(message);
});
