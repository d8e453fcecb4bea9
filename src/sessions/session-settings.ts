// What the next spawn of a session's Claude gets (mode, model, tools, --resume or not) and the model the live one reported.
import type { ClaudeSpawnOptions } from "../claude/types.js";
import type { PermissionMode } from "../protocol/common.js";
import type { SessionGrant } from "../protocol/grants.js";
import { SessionGrants } from "./session-grants.js";
import type { SpawnSettings } from "./types.js";

export class SessionSettings {
  private readonly spawn: SpawnSettings;
  private reportedModel: string | undefined;
  /** True when Claude has a transcript for this id (the next spawn uses --resume). */
  private transcriptExists: boolean;
  /** What "Always allow" granted: every spawn gets the rules and directories again. */
  readonly grants: SessionGrants;

  constructor(spawn: SpawnSettings, resume: boolean, grants: readonly SessionGrant[] = []) {
    this.spawn = { ...spawn, allowedTools: [...spawn.allowedTools] };
    this.transcriptExists = resume;
    this.grants = new SessionGrants(grants, spawn.permissionMode);
  }

  get permissionMode(): PermissionMode {
    return this.spawn.permissionMode;
  }

  /** The model asked for, else the one Claude reported. */
  get model(): string | undefined {
    return this.spawn.model ?? this.reportedModel;
  }

  /** The options of the next spawn (a copy). */
  spawnOptions(cwd: string, sessionId: string): ClaudeSpawnOptions {
    return { ...this.spawn, allowedTools: [...this.spawn.allowedTools], ...this.grants.spawnArgs(), cwd, sessionId, resume: this.transcriptExists };
  }

  /** Claude has taken a message: from now on a transcript exists. */
  transcriptStarted(): void {
    this.transcriptExists = true;
  }

  modelReported(model: string | undefined): void {
    this.reportedModel = model;
  }

  /** Records the grants of an "Always allow" sent to Claude (a granted mode is taken at once); true when some are new. */
  granted(updates: unknown[], context: { cwd: string; permissionId: string; now: number }): boolean {
    const added = this.grants.record(updates, { ...context, mode: this.spawn.permissionMode });
    const mode = added.findLast((g) => g.kind === "mode");
    if (mode?.kind === "mode") this.apply({ permissionMode: mode.mode });
    return added.length > 0;
  }

  /** Stored for the next spawn; `model: undefined` returns to the CLI's default. */
  apply(patch: Partial<SpawnSettings>): void {
    Object.assign(this.spawn, patch);
    if (patch.permissionMode !== undefined) this.grants.modeChanged(patch.permissionMode);
    if ("model" in patch && patch.model === undefined) delete this.spawn.model;
  }
}
