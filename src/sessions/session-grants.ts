// What "Always allow" granted one session: recorded from the permission updates sent to Claude, revoked by id, turned into the next spawn's flags. No I/O.
import { randomUUID } from "node:crypto";
import type { PermissionMode } from "../protocol/common.js";
import { PERMISSION_MODES } from "../protocol/common.js";
import { MAX_GRANT_RULE_LENGTH, MAX_SESSION_GRANTS, type SessionGrant } from "../protocol/grants.js";

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** What the next Claude process of the session gets from its grants. */
export interface GrantSpawnArgs {
  /** Rules for `--allowedTools`. */
  grantedRules: string[];
  /** Directories for `--add-dir`. */
  addDirectories: string[];
}

/** A grant without the fields the record fills in. */
type GrantDraft = { [K in SessionGrant["kind"]]: Omit<Extract<SessionGrant, { kind: K }>, "id" | "grantedAt" | "permissionId"> }[SessionGrant["kind"]];

/** Claude Code's spelling of a rule: `Tool(content)`, or the bare tool name. */
export function ruleText(toolName: string, ruleContent: string | undefined): string {
  return ruleContent ? `${toolName}(${ruleContent})` : toolName;
}

/**
 * The grants in Claude Code's permission updates (`addRules`/`replaceRules` with behavior allow, `addDirectories`,
 * `setMode`), in order. `cwd` is left out of the directories (the session has it anyway), as are deny/ask rules and
 * updates that remove something.
 */
export function grantsInUpdates(updates: unknown[], currentMode: PermissionMode, cwd: string): GrantDraft[] {
  const out: GrantDraft[] = [];
  let mode = currentMode;
  for (const u of updates) {
    if (!isRecord(u)) continue;
    if ((u.type === "addRules" || u.type === "replaceRules") && (u.behavior ?? "allow") === "allow" && Array.isArray(u.rules)) {
      for (const r of u.rules) {
        if (!isRecord(r) || typeof r.toolName !== "string" || r.toolName === "") continue;
        const ruleContent = typeof r.ruleContent === "string" && r.ruleContent !== "" ? r.ruleContent : undefined;
        const rule = ruleText(r.toolName, ruleContent);
        if (rule.length > MAX_GRANT_RULE_LENGTH) continue;
        out.push({ kind: "rule", toolName: r.toolName, ...(ruleContent !== undefined ? { ruleContent } : {}), rule });
      }
    } else if (u.type === "addDirectories" && Array.isArray(u.directories)) {
      for (const d of u.directories) {
        if (typeof d === "string" && d.startsWith("/") && d !== cwd) out.push({ kind: "directory", path: d });
      }
    } else if (u.type === "setMode" && typeof u.mode === "string" && (PERMISSION_MODES as readonly string[]).includes(u.mode)) {
      const next = u.mode as PermissionMode;
      if (next !== mode) out.push({ kind: "mode", mode: next, previousMode: mode });
      mode = next;
    }
  }
  return out;
}

const sameGrant = (a: GrantDraft, b: SessionGrant): boolean =>
  a.kind === b.kind && (a.kind === "rule" ? a.rule === (b as typeof a).rule : a.kind === "directory" ? a.path === (b as typeof a).path : a.mode === (b as typeof a).mode);

export class SessionGrants {
  private list: SessionGrant[];
  // Whether the last sessionUpdate carried grants: the one after the last grant went carries [].
  private announced = false;

  /** `saved`: the grants read back from the meta; a mode grant is kept only while the session is in that mode. */
  constructor(saved: readonly SessionGrant[] = [], mode?: PermissionMode) {
    this.list = saved.filter((g) => g.kind !== "mode" || mode === undefined || g.mode === mode).slice(-MAX_SESSION_GRANTS);
  }

  /** Oldest first (a copy). */
  all(): SessionGrant[] {
    return this.list.map((g) => ({ ...g }));
  }

  get size(): number {
    return this.list.length;
  }

  /** What a sessionUpdate carries: the grants while there are some, [] once after the last went, else undefined. */
  forUpdate(): SessionGrant[] | undefined {
    if (this.list.length === 0 && !this.announced) return undefined;
    this.announced = this.list.length > 0;
    return this.all();
  }

  find(id: string): SessionGrant | undefined {
    return this.list.find((g) => g.id === id);
  }

  /** Records the grants of an "Always allow" answer; returns the ones that are new. */
  record(updates: unknown[], context: { mode: PermissionMode; cwd: string; permissionId?: string; now: number }): SessionGrant[] {
    const added: SessionGrant[] = [];
    for (const draft of grantsInUpdates(updates, context.mode, context.cwd)) {
      // A new mode replaces an older mode grant (the session is in one mode); the first mode before them is kept.
      if (draft.kind === "mode") {
        const old = this.list.find((g) => g.kind === "mode");
        if (old?.kind === "mode") {
          this.remove(old.id);
          if (old.previousMode === draft.mode) continue;
          draft.previousMode = old.previousMode;
        }
      } else if (this.list.some((g) => sameGrant(draft, g))) continue;
      const grant = { ...draft, id: randomUUID(), grantedAt: context.now, ...(context.permissionId !== undefined ? { permissionId: context.permissionId } : {}) } as SessionGrant;
      this.list.push(grant);
      added.push(grant);
    }
    if (this.list.length > MAX_SESSION_GRANTS) this.list.splice(0, this.list.length - MAX_SESSION_GRANTS);
    return added;
  }

  /** Removes one grant; false when it is not held. */
  remove(id: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((g) => g.id !== id);
    return this.list.length !== before;
  }

  /** The session's mode is now `mode` (the user switched, or Claude did): a mode grant for another mode is gone. True when one went. */
  modeChanged(mode: PermissionMode): boolean {
    const before = this.list.length;
    this.list = this.list.filter((g) => g.kind !== "mode" || g.mode === mode);
    return this.list.length !== before;
  }

  /** The flags the next Claude process needs to hold the rule and directory grants (the mode goes as --permission-mode). */
  spawnArgs(): GrantSpawnArgs {
    const grantedRules: string[] = [];
    const addDirectories: string[] = [];
    for (const g of this.list) {
      if (g.kind === "rule") grantedRules.push(g.rule);
      else if (g.kind === "directory") addDirectories.push(g.path);
    }
    return { grantedRules, addDirectories };
  }
}
