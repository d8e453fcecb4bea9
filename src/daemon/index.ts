// Daemon room: the composition root.
export { startDaemon, type Daemon, type StartDaemonOptions } from "./start-daemon.js";
export { readStateFile, removeStateFile, isProcessAlive, stateFilePath, type DaemonState } from "./state-file.js";
export { lanAddresses, loopbackFor, baseUrl } from "./addresses.js";
export type { DaemonTls } from "./tls.js";
export { detectClaude } from "../claude/detect.js";
