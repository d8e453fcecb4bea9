// A session's grants as a pure record: which permission updates are grants, dedupe, the mode rules, the next spawn's flags.
import { describe, expect, test } from "vitest";
import { buildClaudeArgs } from "../../src/claude/args.js";
import { grantsInUpdates, SessionGrants } from "../../src/sessions/session-grants.js";

const bashRule = { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm test" }], behavior: "allow", destination: "session" };

describe("grantsInUpdates", () => {
  test.each<[string, unknown[], unknown[]]>([
    ["a Bash rule", [bashRule], [{ kind: "rule", toolName: "Bash", ruleContent: "npm test", rule: "Bash(npm test)" }]],
    ["a whole tool", [{ type: "addRules", rules: [{ toolName: "Write" }], behavior: "allow" }], [{ kind: "rule", toolName: "Write", rule: "Write" }]],
    ["replaceRules counts as rules", [{ type: "replaceRules", rules: [{ toolName: "Read", ruleContent: "//srv/**" }] }], [{ kind: "rule", toolName: "Read", ruleContent: "//srv/**", rule: "Read(//srv/**)" }]],
    ["a directory (not the cwd)", [{ type: "addDirectories", directories: ["/srv", "/w", "relative"] }], [{ kind: "directory", path: "/srv" }]],
    ["a mode, with the one before", [{ type: "setMode", mode: "acceptEdits" }], [{ kind: "mode", mode: "acceptEdits", previousMode: "default" }]],
    ["the mode it already is", [{ type: "setMode", mode: "default" }], []],
    [
      "deny rules, removals, junk and unknown modes grant nothing",
      [{ type: "addRules", rules: [{ toolName: "Bash" }], behavior: "deny" }, { type: "removeRules", rules: [{ toolName: "Bash" }] }, { type: "setMode", mode: "auto" }, null, 3, { type: "addRules", rules: [{}] }],
      [],
    ],
    ["a rule too long to pass as a flag", [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "x".repeat(5000) }] }], []],
  ])("%s", (_name, updates, expected) => {
    expect(grantsInUpdates(updates, "default", "/w")).toEqual(expected);
  });
});

describe("SessionGrants", () => {
  const ctx = { mode: "default" as const, cwd: "/w", now: 5, permissionId: "p1" };

  test("records each grant once, with an id, the time and the permission", () => {
    const g = new SessionGrants();
    expect(g.record([bashRule, { type: "addDirectories", directories: ["/srv"] }], ctx)).toHaveLength(2);
    expect(g.record([bashRule], { ...ctx, permissionId: "p2" })).toHaveLength(0);
    expect(g.all()).toMatchObject([
      { kind: "rule", rule: "Bash(npm test)", grantedAt: 5, permissionId: "p1" },
      { kind: "directory", path: "/srv" },
    ]);
    expect(new Set(g.all().map((x) => x.id)).size).toBe(2);
    expect(g.spawnArgs()).toEqual({ grantedRules: ["Bash(npm test)"], addDirectories: ["/srv"] });
  });

  test("one mode grant: a newer one keeps the first previous mode; a switch elsewhere drops it; the saved one only while in its mode", () => {
    const g = new SessionGrants();
    g.record([{ type: "setMode", mode: "acceptEdits" }], ctx);
    g.record([{ type: "setMode", mode: "plan" }], { ...ctx, mode: "acceptEdits" });
    expect(g.all()).toMatchObject([{ kind: "mode", mode: "plan", previousMode: "default" }]);
    expect(g.modeChanged("plan")).toBe(false);
    expect(g.modeChanged("default")).toBe(true);
    expect(g.size).toBe(0);
    g.record([{ type: "setMode", mode: "acceptEdits" }], ctx);
    const saved = g.all();
    expect(new SessionGrants(saved, "acceptEdits").size).toBe(1);
    expect(new SessionGrants(saved, "default").size).toBe(0);
  });

  test("revoke by id", () => {
    const g = new SessionGrants();
    const [rule] = g.record([bashRule], ctx);
    expect(g.remove("nope")).toBe(false);
    expect(g.remove(rule!.id)).toBe(true);
    expect(g.spawnArgs()).toEqual({ grantedRules: [], addDirectories: [] });
  });

  test("the spawn flags: rules beside the configured tools (as given, not mapped to the cwd), one --add-dir per directory", () => {
    const args = buildClaudeArgs({
      sessionId: "00000000-0000-4000-8000-000000000001",
      resume: true,
      permissionMode: "acceptEdits",
      allowedTools: ["Read"],
      toolsInCwdOnly: true,
      cwd: "/w",
      grantedRules: ["Bash(npm test)", "Read"],
      addDirectories: ["/srv/a b", "/data"],
      skipPermissions: false,
      includePartialMessages: true,
    });
    expect(args[args.indexOf("--allowedTools") + 1]).toBe("Read(//w/**),Bash(npm test),Read");
    expect(args.filter((a, i) => args[i - 1] === "--add-dir")).toEqual(["/srv/a b", "/data"]);
    expect(args.slice(-2)).toEqual(["--resume", "00000000-0000-4000-8000-000000000001"]);
  });
});
