// Single-use action capabilities: one 128-bit token per permission and decision, dead once used, resolved or expired.
import { createHash, randomBytes } from "node:crypto";
import { CompanionError } from "../protocol/index.js";

export type ActionDecision = "allow" | "deny";

export interface ActionGrant {
  sessionId: string;
  permissionId: string;
  decision: ActionDecision;
}

interface Entry extends ActionGrant {
  expiresAt: number;
  /** Why it is dead ("used", "answered" …), or null while it can be used. */
  dead: string | null;
}

export interface ActionTokens {
  /** Issues the pair of tokens of a permission (the same pair on a second call while it is pending). */
  issue(sessionId: string, permissionId: string, expiresAt: number): Record<ActionDecision, string>;
  /** Takes a token: the grant, once. Throws ACTION_URL_UNKNOWN or ACTION_URL_USED. */
  redeem(token: string): ActionGrant;
  /** The permission was resolved (`state`: answered, timed out, withdrawn): both of its tokens die. */
  retire(permissionId: string, state: string): void;
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export function createActionTokens(now: () => number = Date.now): ActionTokens {
  // Keyed by the hash: the tokens themselves are kept nowhere but in the URLs sent out.
  const entries = new Map<string, Entry>();
  const byPermission = new Map<string, { keys: string[]; tokens: Record<ActionDecision, string> }>();
  // Dead entries are kept until their permission would have expired, so a reuse says "used", not "unknown".
  const sweep = () => {
    const t = now();
    for (const [k, e] of entries) {
      if (e.expiresAt + 60_000 < t) {
        entries.delete(k);
        byPermission.delete(e.permissionId);
      }
    }
  };
  return {
    issue(sessionId, permissionId, expiresAt) {
      sweep();
      const known = byPermission.get(permissionId);
      if (known) return known.tokens;
      const tokens = { allow: randomBytes(16).toString("base64url"), deny: randomBytes(16).toString("base64url") };
      const keys = (["allow", "deny"] as const).map((decision) => {
        const key = hash(tokens[decision]);
        entries.set(key, { sessionId, permissionId, decision, expiresAt, dead: null });
        return key;
      });
      byPermission.set(permissionId, { keys, tokens });
      return tokens;
    },
    redeem(token) {
      const entry = entries.get(hash(token));
      if (!entry) throw new CompanionError("ACTION_URL_UNKNOWN");
      if (entry.dead) throw new CompanionError("ACTION_URL_USED", { state: entry.dead });
      if (entry.expiresAt <= now()) throw new CompanionError("ACTION_URL_USED", { state: "timed out" });
      const { sessionId, permissionId, decision } = entry;
      // Both decisions of the permission die with the first use.
      for (const key of byPermission.get(permissionId)?.keys ?? []) {
        const e = entries.get(key);
        if (e) e.dead = "answered";
      }
      entry.dead = "used";
      return { sessionId, permissionId, decision };
    },
    retire(permissionId, state) {
      for (const key of byPermission.get(permissionId)?.keys ?? []) {
        const e = entries.get(key);
        if (e && !e.dead) e.dead = state;
      }
    },
  };
}
