// The grants a session holds (SessionInfo.grants, the daemon's record), each with a revoke button; what a revoke does is said beside it.
import { useState } from "preact/hooks";
import type { SessionInfo } from "../../protocol/sessions.js";
import { revokeSessionGrant } from "../api.js";
import { grantLine } from "../grants.js";
import { getState, set } from "../store.js";

export function SessionGrants({ info, online }: { info: SessionInfo; online: boolean }) {
  const [revoking, setRevoking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // An older daemon sends no grants.
  const grants = info.grants ?? [];
  const id = info.sessionId;
  // A rule or directory is revoked by restarting Claude, which the daemon refuses while it works (GRANT_REVOKE_BUSY).
  const working = info.state === "active" || info.pendingPermissions.length > 0 || info.queueLength > 0;

  const revoke = async (grantId: string) => {
    const token = getState().token;
    if (!token) return;
    setRevoking(grantId);
    setError(null);
    try {
      const r = await revokeSessionGrant(token, id, grantId);
      // The sessionUpdate says the same; taken now so the row goes at once.
      const s = getState();
      const current = s.sessions[id];
      if (current) set({ sessions: { ...s.sessions, [id]: { ...current, grants: r.grants } } });
    } catch (e) {
      setError(e instanceof Error ? e.message : "The grant could not be revoked.");
    } finally {
      setRevoking(null);
    }
  };

  return (
    <div aria-label="Granted by Always allow" data-grants={grants.length}>
      <strong class="small">Granted by “Always allow”</strong>
      {grants.length === 0 ? (
        <p class="muted small">Nothing: every tool outside the mode asks first.</p>
      ) : (
        <>
          <ul class="small grants-list">
            {grants.map((g) => (
              <li key={g.id} class="row" data-grant={g.kind}>
                <span class="ellipsis" title={g.kind === "rule" ? g.rule : undefined}>
                  {grantLine(g)}
                </span>
                <button type="button" class="btn" disabled={!online || revoking !== null || (working && g.kind !== "mode")} onClick={() => void revoke(g.id)} aria-label={`Revoke: ${grantLine(g)}`}>
                  {revoking === g.id ? "Revoking…" : "Revoke"}
                </button>
              </li>
            ))}
          </ul>
          <p class="muted small" data-working={working}>
            {working
              ? "A rule or directory can be revoked once Claude has finished this turn (Claude restarts for it)."
              : "A revoked rule or directory asks again from the next prompt (Claude restarts, the conversation goes on)."}
          </p>
        </>
      )}
      {error && (
        <p class="error-line" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
