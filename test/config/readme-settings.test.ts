// The README's settings table lists every environment variable and flag the config knows.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "vitest";
import { SETTINGS } from "../../src/config/index.js";

const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");

test.each(Object.entries(SETTINGS))("README documents %s", (_key, spec) => {
  const s = spec as { env?: string; flag?: string };
  if (s.env) expect(readme).toContain(`\`${s.env}\``);
  if (s.flag) expect(readme).toContain(`\`${s.flag}\``);
});
