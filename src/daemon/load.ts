// The daemon's modules, imported room by room with a turn of the event loop between rooms (start's early listener).

/** Evaluating a module graph blocks: the early listener answers /health between the steps instead of after all of them. */
export async function loadDaemon(): Promise<typeof import("./index.js")> {
  const steps = [
    () => import("zod"),
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
