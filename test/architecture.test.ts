// The rooms of src/ and the arrows between them: no loop, protocol/ imports no other room, and docs/ARCHITECTURE.md lists the arrows as they are.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const SRC = resolve(import.meta.dirname, "../src");
const DOC = resolve(import.meta.dirname, "../docs/ARCHITECTURE.md");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** A folder under src/ is a room; a file directly in src/ (log.ts, version.ts …) is one of its own. */
function roomOf(path: string): string | undefined {
  const rel = relative(SRC, path);
  if (rel.startsWith("..")) return undefined; // e.g. package.json
  const [first] = rel.split("/");
  return first!.replace(/\.(ts|tsx|js)$/, "");
}

// Static imports and re-exports (type-only too: they are arrows of the design) and dynamic import().
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** room -> the rooms it imports, each with the files that do. */
function roomGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(SRC)) {
    const from = roomOf(file)!;
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const to = roomOf(resolve(dirname(file), spec));
      if (to === undefined || to === from) continue;
      const targets = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, targets);
      targets.set(to, [...(targets.get(to) ?? []), relative(SRC, file)]);
    }
  }
  return graph;
}

/** Every loop in the graph (as a path of rooms), found by depth-first search. */
function loops(graph: Map<string, Map<string, string[]>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (room: string, path: string[]): void => {
    const at = path.indexOf(room);
    if (at >= 0) {
      found.push([...path.slice(at), room]);
      return;
    }
    if (done.has(room)) return;
    for (const next of graph.get(room)?.keys() ?? []) visit(next, [...path, room]);
    done.add(room);
  };
  for (const room of graph.keys()) visit(room, []);
  return found;
}

/** The arrows docs/ARCHITECTURE.md lists between its `arrows:begin` and `arrows:end` markers. */
function documentedArrows(): Map<string, string[]> {
  const doc = readFileSync(DOC, "utf8");
  const block = /<!-- arrows:begin -->([\s\S]*?)<!-- arrows:end -->/.exec(doc)?.[1] ?? "";
  const arrows = new Map<string, string[]>();
  for (const line of block.split("\n")) {
    const m = /^\s*([\w-]+)\/?\s+→\s+(.+)$/.exec(line);
    if (m) arrows.set(m[1]!, m[2]!.split(",").map((r) => r.trim().replace(/\/$/, "")).sort());
  }
  return arrows;
}

describe("rooms and arrows", () => {
  const graph = roomGraph();

  test("there is no import loop between rooms", () => {
    const described = loops(graph).map((loop) =>
      loop
        .slice(0, -1)
        .map((room, i) => `${room} -> ${loop[i + 1]} (${graph.get(room)!.get(loop[i + 1]!)![0]})`)
        .join(", "),
    );
    expect(described).toEqual([]);
  });

  test("protocol/ imports no other room", () => {
    expect([...(graph.get("protocol")?.keys() ?? [])]).toEqual([]);
  });

  test("docs/ARCHITECTURE.md lists every arrow between rooms, and only those", () => {
    const actual = Object.fromEntries([...graph].map(([room, targets]) => [room, [...targets.keys()].sort()]).sort());
    const documented = Object.fromEntries([...documentedArrows()].sort());
    expect(documented).toEqual(actual);
  });

  test("the loop finder finds a loop (so the first test can fail)", () => {
    const g = new Map([
      ["a", new Map([["b", ["a.ts"]]])],
      ["b", new Map([["a", ["b.ts"]]])],
    ]);
    expect(loops(g)).toEqual([["a", "b", "a"]]);
  });
});
