// Writes one run's results into docs/BENCHMARKS.md between its markers; the hand-written sections around them stay.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./procs.mjs";

export const DOC = path.join(ROOT, "docs/BENCHMARKS.md");
const BEGIN = "<!-- bench:results:begin (written by npm run bench; edit the sections around it) -->";
const END = "<!-- bench:results:end -->";

function commit() {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", timeout: 10_000 }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8", timeout: 10_000 }).trim() !== "";
    return `\`${sha}\`${dirty ? " (with uncommitted changes)" : ""}`;
  } catch {
    return "unknown commit";
  }
}

/** Replaces the results section of docs/BENCHMARKS.md (between the markers; added before the first section when missing). */
export function writeResultsSection({ results, header, goals, rows }, doc = DOC) {
  const section = [
    BEGIN,
    `## Latest run: ${results.startedAt.slice(0, 16).replace("T", " ")} UTC, commit ${commit()}`,
    "",
    `${header}. Seconds per row: ${Object.entries(results.seconds).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "",
    "Issue 20's goals, each beside its floor measured in the same run:",
    "",
    goals,
    "",
    "Every row:",
    "",
    rows,
    END,
  ].join("\n");
  const text = readFileSync(doc, "utf8");
  const a = text.indexOf(BEGIN.slice(0, 24));
  const b = text.indexOf(END);
  let next;
  if (a !== -1 && b > a) next = text.slice(0, a) + section + text.slice(b + END.length);
  else {
    const firstSection = text.indexOf("\n## ");
    next = firstSection === -1 ? `${text}\n${section}\n` : `${text.slice(0, firstSection + 1)}${section}\n\n${text.slice(firstSection + 1)}`;
  }
  writeFileSync(doc, next);
  return doc;
}
