// Server room: polka + ws on one port. Calls sessions/, never claude/.
export { createServer, type CompanionServer, type ServerDeps } from "./create-server.js";
export { createAuthenticator, extractToken, WS_SUBPROTOCOL, type Authenticator, type Principal } from "./auth.js";
export type { Connection, FrameHandler } from "./ws/connection.js";
