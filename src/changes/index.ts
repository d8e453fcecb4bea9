// The changes room: what a session changed in its directory (git, else its tools' writes), diffs, and the read-only file viewer.
export { createChanges, DEFAULT_CHANGES_LIMITS, type Changes, type ChangesLimits, type ChangesOptions, type ChangedSession } from "./changes.js";
export { parsePorcelain } from "./git.js";
export { toolWrites, WRITING_TOOLS, type ToolWrite } from "./tool-writes.js";
