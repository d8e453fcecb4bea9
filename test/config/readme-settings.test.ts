// The README's settings table lists every setting the config knows, with its flag, environment variable, default and
// limits exactly as src/config/settings.ts has them, and no setting the config does not know.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { SETTINGS } from "../../src/config/index.js";

const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");
const header = "| flag | env | default | allowed | what it does |";
const table = readme.slice(readme.indexOf(header), readme.indexOf("\n\n", readme.indexOf(header)));
/** [flag, env, default, allowed, what] of each row, markdown escapes and code marks removed. */
const rows = table
  .split("\n")
  .slice(2)
  .map((line) => line.slice(2, -2).split(" | ").map((c) => c.replace(/\\\|/g, "|").replace(/^`(.*)`$/, "$1")));

/** Defaults written differently from their value: what an empty value means. */
const SHOWN_DEFAULT: Record<string, string> = { CLAUDE_CONFIG_DIR: "~/.claude" };
const shown = (value: unknown, env?: string) =>
  (env && SHOWN_DEFAULT[env]) ?? (Array.isArray(value) ? (value.length ? value.join(",") : "–") : value === "" ? "–" : String(value));
/** Rows for settings resolved outside the SETTINGS table (before it: where the config lives). */
const OUTSIDE = new Set(["CLAUDE_COMPANION_CONFIG_DIR"]);

describe("README settings table", () => {
  test("it was found, one row per setting plus the config directory", () => {
    expect(rows.length).toBe(Object.keys(SETTINGS).length + OUTSIDE.size);
  });

  test.each(Object.entries(SETTINGS))("%s: its flag, env, default and limits as the config has them", (_key, spec) => {
    const s = spec as { env?: string; flag?: string; default: unknown; allowed: string };
    const row = rows.find((r) => (s.env ? r[1] === s.env : r[0] === s.flag));
    expect(row, `no README row for ${s.env ?? s.flag}`).toBeDefined();
    expect(row![0]).toBe(s.flag ?? "–");
    expect(row![1]).toBe(s.env ?? "–");
    expect(row![2]).toBe(shown(s.default, s.env));
    // The README may add a note after the limits (e.g. "(the flag repeats)").
    expect(row![3]!.startsWith(s.allowed), `${row![3]} should start with ${s.allowed}`).toBe(true);
  });

  test("no row names a setting the config does not know", () => {
    const known = Object.values(SETTINGS).flatMap((s) => [(s as { env?: string }).env, (s as { flag?: string }).flag]);
    expect(rows.filter((r) => !OUTSIDE.has(r[1]!) && !known.includes(r[1] === "–" ? r[0] : r[1]))).toEqual([]);
  });
});
