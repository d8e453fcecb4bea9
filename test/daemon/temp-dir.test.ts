// The daemon's temporary folder (<config dir>/tmp) is emptied at start and at close.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { useTestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

const daemons = useTestDaemon({ lazy: true });

test("what a crashed daemon left in <config dir>/tmp is gone after the next start, and what it writes there after close", async () => {
  const configDir = tempDir("cc-tmp-");
  const tmp = join(configDir, "tmp");
  mkdirSync(join(tmp, "left-over-dir"), { recursive: true });
  writeFileSync(join(tmp, "image-1.png.part"), "x");
  const d = await daemons.start({ configDir });
  expect(readdirSync(tmp)).toEqual([]);
  writeFileSync(join(tmp, "cert.tmp"), "y");
  await d.close();
  expect(existsSync(tmp)).toBe(true);
  expect(readdirSync(tmp)).toEqual([]);
});
