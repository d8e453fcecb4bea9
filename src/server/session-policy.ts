// Turns validated client requests into session inputs: working directories checked against the allowed roots.
import type { StreamStartRequest } from "../protocol/index.js";
import type { CreateSessionInput } from "../sessions/index.js";
import { resolveWorkingDirectory } from "./paths.js";

export interface SessionPolicy {
  readonly allowedRoots: readonly string[];
  readonly defaultCwd: string;
  /** Resolves and checks a working directory (FORBIDDEN_PATH); undefined -> the default. */
  workingDirectory(dir: string | undefined): string;
  createInput(body: StreamStartRequest): CreateSessionInput;
}

export function createSessionPolicy(allowedRoots: readonly string[], defaultCwd: string): SessionPolicy {
  const policy: SessionPolicy = {
    allowedRoots,
    defaultCwd,
    workingDirectory: (dir) => (dir === undefined ? defaultCwd : resolveWorkingDirectory(dir, allowedRoots, defaultCwd)),
    createInput(body) {
      return {
        workingDirectory: policy.workingDirectory(body.workingDirectory),
        ...(body.permissionMode ? { permissionMode: body.permissionMode } : {}),
        ...(body.model ? { model: body.model } : {}),
        ...(body.prompt ? { prompt: body.prompt } : {}),
        ...(body.images ? { images: body.images } : {}),
        ...(body.resume ? { resume: body.resume } : {}),
      };
    },
  };
  return policy;
}
