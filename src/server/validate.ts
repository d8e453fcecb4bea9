// Parses outside input with a protocol schema; failures become BAD_REQUEST naming the bad path.
import type { z } from "zod";
import { CompanionError } from "../protocol/index.js";

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "query" | "params" | "data"): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 10).map((i) => ({ path: [where, ...i.path.map(String)].join("."), message: i.message }));
  const first = issues[0] ?? { path: where, message: "invalid" };
  throw new CompanionError("BAD_REQUEST", { reason: `${first.path}: ${first.message}` }, { path: first.path, issues });
}
