// A session's grants at work: an "Always allow" answer recorded, and a revoke (a mode is switched back live; a rule or directory needs a new Claude process, the CLI cannot drop one from a live process, so the idle one is stopped).
import type { PermissionMode } from "../protocol/common.js";
import { CompanionError } from "../protocol/errors.js";
import type { PendingPermissions } from "./permissions.js";
import type { ProcessSlot } from "./process-slot.js";
import type { SessionSettings } from "./session-settings.js";
import type { SessionStatus } from "./session-status.js";
import type { TurnRunner } from "./turns.js";

export interface GrantRevokeHost {
  sessionId: string;
  settings: SessionSettings;
  turns: TurnRunner;
  permissions: PendingPermissions;
  slot: ProcessSlot;
  status: SessionStatus;
  /** The session's own mode switch (live, then stored for the next spawn). */
  setPermissionMode: (mode: PermissionMode) => Promise<void>;
}

/** An "Always allow" answer with these permission updates reached Claude: its grants are recorded, announced when some are new. */
export function recordAllowAlways(
  host: Pick<GrantRevokeHost, "settings" | "status">,
  updates: unknown[],
  context: { cwd: string; permissionId: string; now: number },
): void {
  if (host.settings.granted(updates, context)) host.status.update("grants-changed");
}

/** Why a rule or directory cannot be revoked now, or undefined when the session is idle. */
function busyReason(host: GrantRevokeHost): string | undefined {
  if (host.permissions.size > 0) return "a permission request waits for an answer";
  if (host.turns.current) return "a turn is running";
  if (host.turns.queueLength > 0) return "prompts are queued";
  return undefined;
}

/**
 * Revokes grant `grantId`. Throws GRANT_NOT_FOUND, or GRANT_REVOKE_BUSY for a rule or directory while a turn runs
 * (stopping the process would cut it). `restarted`: the idle Claude process was stopped; the next prompt spawns one
 * with `--resume` and the remaining grants.
 */
export async function revokeGrant(host: GrantRevokeHost, grantId: string): Promise<{ restarted: boolean }> {
  const { settings, status, slot, sessionId } = host;
  const grant = settings.grants.find(grantId);
  if (!grant) throw new CompanionError("GRANT_NOT_FOUND", { sessionId, grantId });
  if (grant.kind === "mode") {
    // The CLI switches modes live (set_permission_mode); the switch drops the mode grant (SessionSettings.apply).
    if (settings.permissionMode === grant.mode) await host.setPermissionMode(grant.previousMode);
    if (settings.grants.remove(grantId)) status.update("grant-revoked");
    return { restarted: false };
  }
  const reason = busyReason(host);
  if (reason !== undefined) throw new CompanionError("GRANT_REVOKE_BUSY", { sessionId, reason });
  settings.grants.remove(grantId);
  const proc = slot.usable;
  const restarted = proc?.alive === true;
  // Kept in the slot until it has exited: the next prompt waits for that, then spawns with --resume.
  if (proc && restarted) slot.retire(proc);
  status.update("grant-revoked");
  return { restarted };
}
