// Daemon room: the composition root.
export { startDaemon, type Daemon, type StartDaemonOptions } from "./start-daemon.js";
export { readStateFile, removeStateFile, isProcessAlive, isDaemonAlive, processStartTime, stateFilePath, type DaemonState } from "./state-file.js";
export { createRotatingLog } from "./log-file.js";
export { lanAddresses, loopbackFor, baseUrl } from "./addresses.js";
export type { DaemonTls } from "./tls.js";
export { detectClaude } from "../claude/detect.js";
