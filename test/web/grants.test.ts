// "Always allow" says what it grants, from the permission updates Claude Code suggests.
import { expect, test } from "vitest";
import { grantLine, grantLines } from "../../src/web/grants.js";

test.each<[string, unknown[], string[]]>([
  ["a mode for the session", [{ type: "setMode", mode: "acceptEdits", destination: "session" }], ["accept every file edit in this session"]],
  ["a Bash rule Claude Code suggests for its settings: sent for the session, so said plainly", [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm test" }], behavior: "allow", destination: "localSettings" }], ["allow Bash `npm test`"]],
  ["a whole tool", [{ type: "addRules", rules: [{ toolName: "Write" }], behavior: "allow", destination: "session" }], ["allow every Write"]],
  ["a directory", [{ type: "addDirectories", directories: ["/srv/data"], destination: "session" }], ["allow access to /srv/data"]],
  ["the session's own directory grants nothing new", [{ type: "addDirectories", directories: ["/w", "/srv/data"], destination: "session" }], ["allow access to /srv/data"]],
  ["deny rules and junk grant nothing", [{ type: "addRules", rules: [{ toolName: "Bash" }], behavior: "deny" }, null, 3, { type: "other" }], []],
])("%s", (_name, suggestions, lines) => {
  expect(grantLines(suggestions, "/w")).toEqual(lines);
});

test.each<[string, Parameters<typeof grantLine>[0], string]>([
  ["a rule", { id: "1", grantedAt: 0, kind: "rule", toolName: "Bash", ruleContent: "npm test *", rule: "Bash(npm test *)" }, "allow Bash `npm test *`"],
  ["a whole tool", { id: "2", grantedAt: 0, kind: "rule", toolName: "Write", rule: "Write" }, "allow every Write"],
  ["a directory", { id: "3", grantedAt: 0, kind: "directory", path: "/srv/data" }, "allow access to /srv/data"],
  ["a mode", { id: "4", grantedAt: 0, kind: "mode", mode: "acceptEdits", previousMode: "default" }, "accept every file edit in this session"],
])("held grant: %s", (_name, grant, line) => {
  expect(grantLine(grant)).toBe(line);
});
