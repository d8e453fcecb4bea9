// Types of the parts of procs.mjs the TypeScript tests use.
import type { ChildProcessWithoutNullStreams, SpawnOptions } from "node:child_process";
export function spawnTracked(cmd: string, args: string[], options: SpawnOptions): ChildProcessWithoutNullStreams;
export function waitForLine(child: ChildProcessWithoutNullStreams, re: RegExp, timeoutMs?: number, streams?: ("stdout" | "stderr")[]): Promise<RegExpExecArray>;
export function descendants(pid: number): number[];
export function stopChild(child: ChildProcessWithoutNullStreams, graceMs?: number): Promise<void>;
export function takeOrphans(): string[];
