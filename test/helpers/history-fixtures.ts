// Copies the recorded Claude Code transcripts (test/fixtures/history) into a temp config dir, under a temp work root; finds transcripts.
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { realpathSync } from "node:fs";
import { tempDir } from "./tmp.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/history/projects");
/** The directory the fixtures were recorded under (by the real CLI 2.1.332). */
export const RECORDED_ROOT = "/tmp/hgen/proj";

/** Session ids of the fixtures. */
export const FIXTURE = {
  /** Plain turn, resumed twice (the third turn from another directory). */
  plain: "ce25d20d-d5df-4f7b-a5f0-269f10489584",
  /** Write tool allowed through a permission prompt, then /rename "Writing a file", then /compact. */
  tool: "4f650f70-08ba-4272-8be7-bcbcaa312f1c",
  /** Agent tool: a subagent transcript under <session>/subagents/ shares the session id. */
  subagent: "34db3c69-3fbe-41c8-af3f-309d734bc91e",
  /** A directory name over 200 characters: the folder name is cut and hashed. */
  longName: "3a6cfdc1-3845-4012-8a59-2e1b121817fb",
  /** Hand-made: a complete turn and a torn last line. */
  torn: "11111111-1111-4111-8111-111111111111",
  /** Hand-made: an older CLI's summary line, a record written twice, a compaction boundary and summary. */
  summary: "22222222-2222-4222-8222-222222222222",
  /** Hand-made: not JSON at all. */
  corrupt: "33333333-3333-4333-8333-333333333333",
} as const;

export interface HistoryFixture {
  /** A Claude config dir (CLAUDE_CONFIG_DIR) holding projects/. */
  claudeConfigDir: string;
  /** Where the recorded directories now are (each exists). */
  workRoot: string;
  /** The directory a fixture was recorded in, under workRoot. */
  dirOf(recorded: string): string;
  fileOf(sessionId: string): string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every transcript (`<session>.jsonl`, subagents' too) under a Claude config dir's projects/. */
export function transcriptFiles(claudeConfigDir: string): string[] {
  return walk(path.join(claudeConfigDir, "projects")).filter((f) => f.endsWith(".jsonl"));
}

/** The transcript Claude Code keeps of `sessionId` under a config dir (undefined when there is none). */
export function transcriptOf(claudeConfigDir: string, sessionId: string): string | undefined {
  return transcriptFiles(claudeConfigDir).find((f) => path.basename(f) === `${sessionId}.jsonl`);
}

/** Copies every fixture, replacing the recorded root with a fresh temp dir in the records (folder names kept as they are). */
export function copyHistoryFixtures(): HistoryFixture {
  const claudeConfigDir = tempDir("cc-claude-cfg-");
  const workRoot = realpathSync(tempDir("cc-history-work-"));
  const projects = path.join(claudeConfigDir, "projects");
  cpSync(FIXTURES, projects, { recursive: true });
  for (const file of walk(projects)) {
    if (!file.endsWith(".jsonl")) continue;
    const text = readFileSync(file, "latin1");
    writeFileSync(file, text.split(RECORDED_ROOT).join(workRoot), "latin1");
  }
  const dirOf = (recorded: string) => recorded.split(RECORDED_ROOT).join(workRoot);
  for (const d of ["my.app", "other", "sub", "tool", "edge"]) mkdirSync(path.join(workRoot, d), { recursive: true });
  return {
    claudeConfigDir,
    workRoot,
    dirOf,
    fileOf: (id) => transcriptOf(claudeConfigDir, id)!,
  };
}
