// The contract between the claude/ room (one Claude Code process) and the sessions/ room.
import type { PermissionMode } from "../protocol/common.js";
import type { ProtectedPaths } from "./tool-rules.js";

export interface ClaudeSpawnOptions {
  /** Path or command name of the Claude Code CLI (CLAUDE_CLI_PATH). */
  cliPath: string;
  /** Absolute working directory; must exist (checked before spawn). */
  cwd: string;
  /** Our session id, which is also Claude's: `--session-id` when new, `--resume` when resume=true. */
  sessionId: string;
  resume: boolean;
  /** A new session (resume=false) that starts from this one's history: `--session-id <sessionId> --resume <forkFrom> --fork-session`. */
  forkFrom?: string;
  permissionMode: PermissionMode;
  model?: string;
  /** CLAUDE_ALLOWED_TOOLS, sent as `--allowedTools` (see tool-rules.ts); empty = flag omitted. */
  allowedTools: string[];
  /** Bare Read, Write and Edit are allowed inside `cwd` only (the default setting). Default false. */
  toolsInCwdOnly?: boolean;
  /** Never readable or editable by Claude (`--disallowedTools`), whatever is allowed. */
  protectedPaths?: ProtectedPaths;
  /** Rules the user granted this session ("Always allow"), e.g. `Bash(npm test)`: added to `--allowedTools` as given. */
  grantedRules?: string[];
  /** Directories the user granted this session: one `--add-dir <dir>` each. */
  addDirectories?: string[];
  /** `--dangerously-skip-permissions` (CLAUDE_SKIP_PERMISSIONS). */
  skipPermissions: boolean;
  /** `--include-partial-messages` for token-level streaming. Default true. */
  includePartialMessages: boolean;
  /** Base environment for the child (from config); buildChildEnv() strips secrets and CLAUDECODE. */
  env: Record<string, string | undefined>;
  /** CLAUDE_CODE_MAX_RETRIES passed to the child. */
  maxRetries: number;
}

/** A user content block sent to Claude (text or base64 image). */
export type UserContentBlock =
  | { type: "text"; text: string }
  | { type: "image"; source: { type: "base64"; media_type: string; data: string } };

/** What the permission answer sends back to Claude (already mapped from the client's decision). */
export type PermissionAnswer =
  | { behavior: "allow"; updatedInput?: unknown; updatedPermissions?: unknown[] }
  | { behavior: "deny"; message: string; interrupt?: boolean };

/** Events one Claude process emits, already parsed and mapped from stream-json lines. */
export type ClaudeEvent =
  | { kind: "textDelta"; messageId?: string; index?: number; text: string }
  /** `parentToolUseId`: the line came from a subagent, run by that Agent tool use (its `parent_tool_use_id`). */
  | { kind: "assistant"; messageId?: string; text: string; content: unknown[]; aborted?: boolean; parentToolUseId?: string }
  | { kind: "toolUse"; toolUseId: string; name: string; input: unknown; parentToolUseId?: string }
  | { kind: "toolResult"; toolUseId: string; isError: boolean; content: string; structured?: unknown; parentToolUseId?: string }
  | {
      kind: "permissionRequest";
      requestId: string;
      toolName: string;
      toolUseId?: string;
      input: unknown;
      description?: string;
      blockedPath?: string;
      /** Why the CLI asks (e.g. "Path is outside allowed working directories"); added by claude/. */
      decisionReason?: string;
      suggestions: unknown[];
    }
  | { kind: "permissionCancelled"; requestId: string }
  | {
      kind: "result";
      subtype: string;
      isError: boolean;
      result: string;
      usage?: Record<string, unknown>;
      costUsd?: number;
      durationMs?: number;
      numTurns?: number;
      terminalReason?: string;
      userMessageUuids: string[];
    }
  /** `system/init`, once per turn. `sessionId` (added by claude/) is Claude's session id. */
  | { kind: "init"; sessionId?: string; model?: string; permissionMode?: string; raw: unknown }
  | { kind: "permissionModeChanged"; mode: string }
  /** Any other line (system/api_retry, unknown types): passed on, never dropped. */
  | { kind: "other"; claudeType: string; subtype?: string; raw: unknown }
  /** A stdout line that was not JSON (or not an object): logged and surfaced, the process goes on. */
  | { kind: "warning"; message: string; line: string };

export interface ClaudeExit {
  exitCode: number | null;
  signal: string | null;
  /** Last 16 KiB of stderr. */
  stderrTail: string;
  /** True when we asked it to stop (stop() or kill()). */
  requested: boolean;
}

/** Reply to the `initialize` control request: readiness. */
/** A slash command or skill from the `initialize` reply's `commands[]` (verified with 2.1.332: docs/CLAUDE-CLI-NOTES.md). */
export interface ClaudeCommand {
  name: string;
  description: string;
  argumentHint: string;
  aliases: string[];
  builtin: boolean;
  /** Why this built-in does nothing useful under -p stream-json (src/claude/headless-commands.ts), or null. */
  unavailable: string | null;
}

export interface ClaudeReadyInfo {
  pid: number;
  version?: string;
  models?: unknown[];
  /** The commands and skills this process offers, custom ones included. */
  commands?: ClaudeCommand[];
  permissionMode?: string;
  raw: unknown;
}

/** One live Claude Code process. */
export interface ClaudeProcess {
  readonly pid: number | undefined;
  /** /proc/<pid>/stat start time (Linux): with the pid, the identity recorded in the session's meta. */
  readonly startTime?: string;
  readonly sessionId: string;
  readonly options: Readonly<ClaudeSpawnOptions>;
  /** Resolves on the `initialize` control_response; rejects (CompanionError) if the process dies first. */
  ready(): Promise<ClaudeReadyInfo>;
  /** Adds a listener for mapped events; returns an unsubscribe function. */
  onEvent(listener: (event: ClaudeEvent) => void): () => void;
  /** Resolves once, when the process has exited. */
  readonly exited: Promise<ClaudeExit>;
  readonly alive: boolean;
  /** Writes one user message line; `uuid` is echoed back in result.userMessageUuids. */
  sendUserMessage(content: string | UserContentBlock[], uuid: string): void;
  answerPermission(requestId: string, answer: PermissionAnswer): void;
  /** control_request interrupt with cancel_queued:true; resolves on its control_response. */
  interrupt(): Promise<void>;
  setPermissionMode(mode: PermissionMode): Promise<void>;
  setModel(model: string | null): Promise<void>;
  /** Graceful stop: end stdin, SIGTERM after 2 s, SIGKILL 5 s later. Idempotent. */
  stop(): Promise<ClaudeExit>;
  /** SIGKILL now. */
  kill(): void;
  /** CPU % and RSS bytes of the process (pidusage); null when not running. */
  stats(): Promise<{ cpu: number; rssBytes: number } | null>;
}

/** The seam where sessions/ gets its processes; tests pass one that runs the fake CLI. */
export type StartClaude = (options: ClaudeSpawnOptions) => ClaudeProcess;
