// The wire protocol: one source of truth for REST and WebSocket. Imports nothing else from src/.
export * from "./common.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./sessions.js";
export * from "./rest.js";
export * from "./ws.js";
export * from "./requests.js";
export * from "./pairing.js";
export * from "./constants.js";
export * from "./depth.js";
export * from "./pairing-link.js";
export * from "./notify.js";
export * from "./history.js";
export * from "./doctor.js";
export * from "./directories.js";
export * from "./composer.js";
export * from "./changes.js";
