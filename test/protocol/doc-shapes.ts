// Reading docs/PROTOCOL.md for the doc-sync tests: its sections, table rows, the `{ a, b?, c[] }` shapes it writes, and the
// fields of a zod schema to compare them with.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { z } from "zod";

export const PROTOCOL_DOC = readFileSync(resolve(import.meta.dirname, "../../docs/PROTOCOL.md"), "utf8");

/** The text from a heading line starting with `heading` to the next heading of the same or a higher level. */
export function section(heading: string, doc = PROTOCOL_DOC): string {
  const start = doc.split("\n").findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`docs/PROTOCOL.md has no heading "${heading}"`);
  const lines = doc.split("\n");
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/** The rows of the markdown tables in `text` whose first cell is a `code` name: [name, the other cells]. */
export function tableRows(text: string): [string, string[]][] {
  return [...text.matchAll(/^\| `([^`]+)` \|(.*)\|\s*$/gm)].map((m) => [m[1]!, m[2]!.split(" | ").map((c) => c.trim())]);
}

/** A documented field: its name and whether it is written optional (`name?`). */
export interface DocField {
  name: string;
  optional: boolean;
}

/** The top-level fields of the first `{ … }` shape in `text` (nested `{…}` and `[…]` are skipped), or null when there is none. */
export function docFields(text: string): DocField[] | null {
  const open = text.indexOf("{");
  if (open < 0) return null;
  let depth = 0;
  let body = "";
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "{" || c === "[") depth++;
    if (c === "}" || c === "]") depth--;
    if (depth === 0) break;
    if (depth === 1 && i > open) body += c;
  }
  return body
    .split(",")
    .map((part) => /^\s*"?([A-Za-z_]\w*)"?(\?)?/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1]!, optional: m[2] === "?" }));
}

/** The fields of an object schema (through optional, nullable and refinements): each name and whether it may be left out. */
export function schemaFields(schema: z.ZodType): DocField[] {
  let s = schema as unknown as { shape?: Record<string, z.ZodType>; def: { type: string; innerType?: z.ZodType; in?: z.ZodType } };
  while (!s.shape && (s.def.innerType || s.def.in)) s = (s.def.innerType ?? s.def.in) as unknown as typeof s;
  if (!s.shape) throw new Error(`not an object schema (${s.def.type})`);
  // Optional = may be left out (`.optional()`, or `.default()` in a request); z.unknown() accepts undefined but is not written `?`.
  const optional = (field: z.ZodType) => ["optional", "default"].includes((field as unknown as { def: { type: string } }).def.type);
  return Object.entries(s.shape).map(([name, field]) => ({ name, optional: optional(field) }));
}

/** The options of a discriminated union (or the schema itself). */
export function optionsOf(schema: z.ZodType): z.ZodType[] {
  const def = (schema as unknown as { def: { type: string; options?: z.ZodType[] } }).def;
  return def.type === "union" && def.options ? def.options : [schema];
}

const show = (fields: DocField[]) => fields.map((f) => f.name + (f.optional ? "?" : "")).join(", ");

/** "" when the documented fields are exactly the schema's, with the same `?`; else what differs. */
export function compareFields(documented: DocField[], schema: DocField[]): string {
  const same = documented.length === schema.length && schema.every((f) => documented.some((d) => d.name === f.name && d.optional === f.optional));
  return same ? "" : `documented { ${show(documented)} }, schema { ${show(schema)} }`;
}
