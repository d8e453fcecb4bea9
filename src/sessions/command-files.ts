// A directory's own slash commands and skills read from its files (`.claude/commands`, `.claude/skills`), for a session whose Claude Code is not running.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SlashCommand } from "../protocol/composer.js";

/** Most command files read; deeper than this many folders is not looked at. */
const MAX_FILES = 500;
const MAX_DEPTH = 4;

/** `key: value` lines between `---` fences (quotes stripped), and the body after them. */
export function parseFrontmatter(text: string): { fields: Record<string, string>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]!] = kv[2]!.trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return { fields, body: text.slice(m[0].length) };
}

const firstLine = (body: string) => body.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";

function command(name: string, text: string, skill = false): SlashCommand {
  const { fields, body } = parseFrontmatter(text);
  // As Claude Code 2.1.332 words it: the description (else the body's first line) and where it comes from.
  const description = `${fields.description ?? firstLine(body)} (project)`.trim();
  return { name: skill && fields.name ? fields.name : name, description, argumentHint: fields["argument-hint"] ?? "", aliases: [], builtin: false, unavailable: null };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8").slice(0, 64 * 1024);
  } catch {
    return null;
  }
}

/** `.claude/commands/**\/*.md` (a subfolder gives `sub:name`) and `.claude/skills/<name>/SKILL.md` of `dir`; links are not followed. */
export function readCommandFiles(dir: string): SlashCommand[] {
  const out: SlashCommand[] = [];
  const walk = (abs: string, prefix: string[], depth: number) => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      if (e.isDirectory() && depth < MAX_DEPTH) walk(join(abs, e.name), [...prefix, e.name], depth + 1);
      else if (e.isFile() && e.name.endsWith(".md")) {
        const text = read(join(abs, e.name));
        if (text !== null) out.push(command([...prefix, e.name.slice(0, -3)].join(":"), text));
      }
    }
  };
  walk(join(dir, ".claude", "commands"), [], 0);
  let skills: string[] = [];
  try {
    skills = readdirSync(join(dir, ".claude", "skills"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    skills = [];
  }
  for (const name of skills) {
    if (out.length >= MAX_FILES) break;
    const text = read(join(dir, ".claude", "skills", name, "SKILL.md"));
    if (text !== null) out.push(command(name, text, true));
  }
  return out;
}
