// "Always allow" says what it grants, from the permission updates Claude Code suggests.
import { expect, test } from "vitest";
import { grantLines } from "../../src/web/grants.js";

test.each<[string, unknown[], string[]]>([
  ["a mode for the session", [{ type: "setMode", mode: "acceptEdits", destination: "session" }], ["accept every file edit in this session"]],
  ["a Bash rule saved in settings", [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm test" }], behavior: "allow", destination: "localSettings" }], ["allow Bash `npm test` (saved in Claude Code's settings)"]],
  ["a whole tool", [{ type: "addRules", rules: [{ toolName: "Write" }], behavior: "allow", destination: "session" }], ["allow every Write"]],
  ["a directory", [{ type: "addDirectories", directories: ["/srv/data"], destination: "session" }], ["allow access to /srv/data"]],
  ["deny rules and junk grant nothing", [{ type: "addRules", rules: [{ toolName: "Bash" }], behavior: "deny" }, null, 3, { type: "other" }], []],
])("%s", (_name, suggestions, lines) => {
  expect(grantLines(suggestions)).toEqual(lines);
});
