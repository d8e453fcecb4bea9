// Library entry: embed the daemon in another program.
export { startDaemon, type Daemon, type StartDaemonOptions } from "./daemon/index.js";
export { resolveConfig, type ResolvedConfig } from "./config/index.js";
export { createLogger } from "./log.js";
export * from "./protocol/index.js";
export { createHistory, type History, type HistoryOptions } from "./history/index.js";
