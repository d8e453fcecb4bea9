// What "Always allow" grants, in words, from the permission updates Claude Code suggests. Pure.

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === "object" ? (v as Rec) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

const MODE_WORDS: Record<string, string> = {
  acceptEdits: "accept every file edit in this session",
  bypassPermissions: "run every tool without asking in this session",
  plan: "switch this session to plan mode",
  default: "ask before tools again",
};

/** One line per suggestion, e.g. "accept every file edit in this session", "allow `npm test`". */
export function grantLines(suggestions: unknown[]): string[] {
  const lines: string[] = [];
  for (const raw of suggestions) {
    const u = rec(raw);
    const where = u.destination && u.destination !== "session" ? " (saved in Claude Code's settings)" : "";
    switch (u.type) {
      case "setMode":
        lines.push((MODE_WORDS[String(u.mode)] ?? `switch to ${String(u.mode)} mode`) + where);
        break;
      case "addRules":
      case "replaceRules": {
        if ((u.behavior ?? "allow") !== "allow") break;
        for (const r of Array.isArray(u.rules) ? u.rules : []) {
          const rule = rec(r);
          const tool = typeof rule.toolName === "string" ? rule.toolName : "the tool";
          lines.push((typeof rule.ruleContent === "string" && rule.ruleContent ? `allow ${tool} \`${rule.ruleContent}\`` : `allow every ${tool}`) + where);
        }
        break;
      }
      case "addDirectories":
        for (const d of strs(u.directories)) lines.push(`allow access to ${d}${where}`);
        break;
    }
  }
  return lines;
}
