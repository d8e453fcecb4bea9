// Who is calling: the token from a header, query or WebSocket subprotocol, checked in constant time.
import type { IncomingMessage } from "node:http";
import { tokensEqual } from "../pairing/tokens.js";
import { WS_BEARER_PREFIX as BEARER_PROTOCOL_PREFIX, WS_SUBPROTOCOL } from "../protocol/constants.js";

export interface Principal {
  kind: "master" | "device";
  /** Device id for device tokens. */
  id: string;
  /** A label for logs and "answered by": never the token. */
  label: string;
}

export interface Authenticator {
  /** `address` is the client address (recorded as a device's last address). */
  verify(token: string | undefined, address?: string): Principal | null;
}

export { WS_SUBPROTOCOL };

export function extractToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m ? m[1] : undefined;
  }
  const url = req.url ?? "";
  const q = url.indexOf("?");
  if (q !== -1) {
    const t = new URLSearchParams(url.slice(q + 1)).get("token");
    if (t) return t;
  }
  const protocols = req.headers["sec-websocket-protocol"];
  if (protocols) {
    for (const p of protocols.split(",").map((s) => s.trim())) {
      if (p.startsWith(BEARER_PROTOCOL_PREFIX)) return p.slice(BEARER_PROTOCOL_PREFIX.length);
    }
  }
  return undefined;
}

export interface AuthenticatorOptions {
  /** The current master token (read on every call so rotation applies at once). */
  masterToken: () => string;
  /** Device tokens (pairing); optional until pairing is wired. */
  verifyDevice?: (token: string, address?: string) => Principal | null;
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  return {
    verify(token, address) {
      if (!token) return null;
      if (tokensEqual(token, options.masterToken())) return { kind: "master", id: "master", label: "master token" };
      return options.verifyDevice?.(token, address) ?? null;
    },
  };
}
