// What "Always allow" grants, in words: before the tap from the permission updates Claude Code suggests, after it from SessionInfo.grants. Pure.
import type { SessionGrant } from "../protocol/grants.js";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === "object" ? (v as Rec) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

const MODE_WORDS: Record<string, string> = {
  acceptEdits: "accept every file edit in this session",
  bypassPermissions: "run every tool without asking in this session",
  plan: "switch this session to plan mode",
  default: "ask before tools again",
};

const modeWords = (mode: string): string => MODE_WORDS[mode] ?? `switch to ${mode} mode`;
const ruleWords = (tool: string, content: string | undefined): string => (content ? `allow ${tool} \`${content}\`` : `allow every ${tool}`);

/**
 * One line per suggestion, e.g. "accept every file edit in this session", "allow Bash `npm test`". The daemon sends
 * every suggestion for this session only, whatever destination Claude Code suggested, so none is said to be saved.
 * `cwd`: the session's working directory, left out of the directories.
 */
export function grantLines(suggestions: unknown[], cwd?: string): string[] {
  const lines: string[] = [];
  for (const raw of suggestions) {
    const u = rec(raw);
    switch (u.type) {
      case "setMode":
        lines.push(modeWords(String(u.mode)));
        break;
      case "addRules":
      case "replaceRules": {
        if ((u.behavior ?? "allow") !== "allow") break;
        for (const r of Array.isArray(u.rules) ? u.rules : []) {
          const rule = rec(r);
          const tool = typeof rule.toolName === "string" ? rule.toolName : "the tool";
          lines.push(ruleWords(tool, typeof rule.ruleContent === "string" && rule.ruleContent ? rule.ruleContent : undefined));
        }
        break;
      }
      case "addDirectories":
        // The session's own directory grants nothing new (the daemon does not list it either).
        for (const d of strs(u.directories)) if (d !== cwd) lines.push(`allow access to ${d}`);
        break;
    }
  }
  return lines;
}

/** A grant the session holds, in the same words. */
export function grantLine(grant: SessionGrant): string {
  switch (grant.kind) {
    case "rule":
      return ruleWords(grant.toolName, grant.ruleContent);
    case "directory":
      return `allow access to ${grant.path}`;
    case "mode":
      return modeWords(grant.mode);
  }
}
