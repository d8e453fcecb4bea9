// Server room: polka + ws on one port. Calls sessions/, never claude/.
export { createServer, DEFAULT_LIMITS, type CompanionServer, type ServerDeps, type ServerLimits } from "./create-server.js";
export { createAuthenticator, extractToken, WS_SUBPROTOCOL, type Authenticator, type Principal } from "./auth.js";
export { readJsonBody, sendJson, sendError } from "./http-utils.js";
export { parseInput } from "./validate.js";
export type { OriginPolicy } from "./guards.js";
export type { Connection, FrameHandler } from "./ws/connection.js";
export { createStaticHandler, defaultWebRoot, type StaticHandler } from "./static.js";
