import { defineConfig } from "tsup";

// One entry per lazily loaded room keeps `start` fast: the CLI imports only what a command needs.
export default defineConfig({
  entry: { cli: "src/cli/index.ts", index: "src/index.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  outDir: "dist",
  splitting: true,
  sourcemap: true,
  clean: true,
  dts: false,
  shims: false,
});
