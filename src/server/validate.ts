// Parses outside input with a protocol schema (after the nesting-depth cap); failures become BAD_REQUEST naming the bad path.
import type { z } from "zod";
import { CompanionError, MAX_INPUT_DEPTH, pathDeeperThan } from "../protocol/index.js";

/** Every REST body, query and WS frame's data goes through here: the one gateway from outside input to a schema. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "query" | "params" | "data"): z.infer<S> {
  const deep = pathDeeperThan(value);
  if (deep) {
    // The field that holds the too-deep value (e.g. body.updatedInput), not the 64 keys below it.
    const path = [where, ...deep.slice(0, 1).map(String)].join(".");
    throw new CompanionError("BAD_REQUEST", { reason: `${path}: nested deeper than ${MAX_INPUT_DEPTH} levels` }, { path, maxDepth: MAX_INPUT_DEPTH });
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 10).map((i) => ({ path: [where, ...i.path.map(String)].join("."), message: i.message }));
  const first = issues[0] ?? { path: where, message: "invalid" };
  throw new CompanionError("BAD_REQUEST", { reason: `${first.path}: ${first.message}` }, { path: first.path, issues });
}
