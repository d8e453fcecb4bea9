// V8 settings of the daemon's process (issue 20: idle memory), set by `start` before the daemon's modules load.
import { setFlagsFromString } from "node:v8";

/**
 * Before the modules load. (1) The young generation keeps its initial size: V8 doubles it (up to 16 MiB per
 * semi-space) while ~2.5 MB of modules are evaluated and never gives the pages back, ~5 MB of idle RSS, more once
 * saved sessions are restored. (2) No optimizing compiler until the daemon is ready: TurboFan compiled the one-shot
 * start-up code (~5 MB of idle RSS). (3) The heap optimised for size while the modules load (~0.7 MB). The flags are
 * read when V8 grows the new space, picks a function to optimize or sizes the heap, so setting them at run time works
 * (`--max-semi-space-size` does not: it is read once, at heap set-up).
 */
export function tuneV8ForStartUp(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
  setFlagsFromString("--no-opt");
  setFlagsFromString("--optimize-for-size");
}

/** Once the daemon serves: the optimizing compiler is back for the relay's hot paths (the young generation stays small). */
export function tuneV8ForServing(): void {
  setFlagsFromString("--opt");
  setFlagsFromString("--no-optimize-for-size");
}
