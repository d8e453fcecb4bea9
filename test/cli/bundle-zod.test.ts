// The built daemon bundles zod with its English locale only (tsup.config.ts): 360 KB less to compile while start runs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

const dist = join(import.meta.dirname, "../../dist");

test("the build keeps zod's English messages and none of its other locales", async () => {
  expect(existsSync(join(dist, "index.js")), "run `npm run build` first").toBe(true);
  const built = (await import(join(dist, "index.js"))) as { HealthResponseSchema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } } };
  const result = built.HealthResponseSchema.safeParse({ status: 5 });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]?.message).toBe('Invalid option: expected one of "ok"|"degraded"|"starting"');
  const chunks = readdirSync(dist).filter((f) => f.endsWith(".js"));
  // zod's German and Italian messages, as zod 4 writes them.
  for (const foreign of ["Eingabe: erwartet", "Input non valido"]) expect(chunks.filter((f) => readFileSync(join(dist, f), "utf8").includes(foreign))).toEqual([]);
});
