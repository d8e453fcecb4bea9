// The daemon's modules, imported room by room with a turn of the event loop between rooms (start's early listener).

/**
 * Evaluating a module graph blocks: the early listener answers /health between the steps instead of after all of them,
 * so a /health that arrives mid-import waits for one step at most. zod's core and its classic API are two steps (its
 * largest chunk; the build keeps only its English locale, tsup.config.ts).
 */
export async function loadDaemon(): Promise<typeof import("./index.js")> {
  const steps = [
    () => import("zod/v4/core"),
    () => import("zod"),
    // The protocol's schemas are built as their modules are evaluated: three steps instead of one.
    () => import("../protocol/sessions.js"),
    () => import("../protocol/ws.js"),
    () => import("../protocol/index.js"),
    () => import("../claude/index.js"),
    () => import("../sessions/index.js"),
    () => import("../server/index.js"),
    () => import("../notify/index.js"),
    () => import("../history/index.js"),
  ];
  for (const step of steps) {
    await step();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return import("./index.js");
}
