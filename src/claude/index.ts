// The public face of the claude/ room: the contract types and the functions sessions/ and daemon/ may call.
export type * from "./types.js";
export { buildClaudeArgs, type ClaudeArgsOptions } from "./args.js";
export {
  bareToolWarnings,
  claudeCredentialsFile,
  DEFAULT_ALLOWED_TOOLS,
  rulePath,
  toolRulesFor,
  type ProtectedPaths,
  type ToolRuleOptions,
  type ToolRules,
} from "./tool-rules.js";
export { buildChildEnv, type ChildEnvOptions } from "./env.js";
export { createLineParser, parseLine, DEFAULT_MAX_LINE_LENGTH, type LineParser, type LineParserOptions, type ParsedLine } from "./line-parser.js";
export { mapClaudeLine, toolResultText, MAX_TOOL_RESULT_LENGTH } from "./messages.js";
export { createClaudeProcess, type ClaudeProcessDeps } from "./process.js";
export { STDERR_TAIL_LENGTH, INSTALL_SUGGESTION } from "./spawn.js";
export {
  detectClaude,
  clearClaudeDetectionCache,
  parseClaudeVersion,
  resolveCliPath,
  type ClaudeDetection,
  type DetectClaudeOptions,
} from "./detect.js";
export { createProcessTree, treeEntries, type ProcessTree, type StopReport, type StopTreeOptions, type TreeMember, type TreeSample } from "./process-tree.js";
export { isSameProcess, SESSION_MARKER_ENV, startTimeOf } from "./proc-table.js";
