// docs/PROTOCOL.md documents every HTTP route the server registers as `METHOD /path`, and documents no route it does not register.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { ACTION_PATH_PREFIX } from "../../src/protocol/index.js";
import { PAIR_PATH } from "../../src/server/routes/pairing.js";
import { PROTOCOL_DOC as doc } from "./doc-shapes.js";

const SERVER = resolve(import.meta.dirname, "../../src/server");
/** Paths registered through a constant instead of a string literal: the expression as written, and its value. */
const CONSTANT_PATHS: Record<string, string> = { PAIR_PATH, [`\`\${ACTION_PATH_PREFIX}:token\``]: `${ACTION_PATH_PREFIX}:token` };
/** The phone client's files, served for every other GET (create-server.ts): not an API route. */
const STATIC_PATHS = new Set(["/*", "/"]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Every `app.get|post|put|patch|delete(path, …)` in src/server, as "METHOD /path". */
function registeredRoutes(): { routes: string[]; unreadable: string[] } {
  const routes: string[] = [];
  const unreadable: string[] = [];
  for (const file of files(SERVER)) {
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/\bapp\s*\.(get|post|put|patch|delete)\(\s*("[^"]*"|`[^`]*`|[A-Za-z_][\w.]*)/g)) {
      const literal = /^"(.*)"$/.exec(m[2]!)?.[1];
      const path = literal ?? CONSTANT_PATHS[m[2]!];
      if (path === undefined) unreadable.push(`${relative(SERVER, file)}: ${m[0]}`);
      else if (!STATIC_PATHS.has(path)) routes.push(`${m[1]!.toUpperCase()} ${path}`);
    }
  }
  return { routes, unreadable };
}

/** Every `METHOD /path` written in code spans of the doc (a query string after `?` is not part of the path). */
const documentedRoutes = () => [...new Set([...doc.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)/g)].map((m) => `${m[1]} ${m[2]}`))];

describe("docs/PROTOCOL.md and the server's routes", () => {
  const { routes, unreadable } = registeredRoutes();

  test("the routes are read from the sources (a path from a new constant goes into CONSTANT_PATHS)", () => {
    expect(unreadable).toEqual([]);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes).toContain("GET /health");
    expect(routes).toContain("POST /api/pair");
  });

  test("every registered route is documented as `METHOD /path`", () => {
    const documented = new Set(documentedRoutes());
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  test("every documented route is registered", () => {
    expect(documentedRoutes().filter((r) => !routes.includes(r))).toEqual([]);
  });
});
