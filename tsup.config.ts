import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "tsup";

/**
 * esbuild keeps some comments, and a few bundled ones (zod's locales) are not ASCII: V8 then holds that whole chunk's
 * source as a two-byte string, 1.5 MB instead of 0.75 MB for as long as the daemon runs (issue 20: idle memory).
 * Each such character becomes a \u escape, which means the same in a string, template, regex, identifier or comment.
 */
function asciiOnly(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".js")) continue;
    const file = join(dir, name);
    const text = readFileSync(file, "utf8");
    if (!/[^\x00-\x7f]/.test(text)) continue;
    writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  }
}

// zod's `locales` namespace (re-exported by zod/v4/core and zod's classic API) holds ~40 languages: 360 KB of the daemon's
// largest chunk, compiled while a /health during start waits. The daemon only uses English (zod's default).
const zodLocales = fileURLToPath(new URL("./scripts/zod-locales.mjs", import.meta.url));
const onlyEnglishZodLocales = {
  name: "zod-locales-en",
  setup(build: { onResolve(options: { filter: RegExp }, cb: (args: { importer: string }) => { path: string } | undefined): void }) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: zodLocales } : undefined));
  },
};

// conf imports ajv, ajv-formats and semver for its `schema` and `migrations` options, which the store never passes.
const confStub = fileURLToPath(new URL("./scripts/conf-without-schemas.mjs", import.meta.url));
const confWithoutSchemas = {
  name: "conf-without-schemas",
  setup(build: { onResolve(options: { filter: RegExp }, cb: (args: { importer: string }) => { path: string } | undefined): void }) {
    build.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver)$/ }, (args) => (/[\\/]node_modules[\\/]conf[\\/]/.test(args.importer) ? { path: confStub } : undefined));
  },
};

// One entry per lazily loaded room keeps `start` fast: the CLI imports only what a command needs.
// The dependencies are bundled in (noExternal): resolving ~60 packages file by file cost more than evaluating them
// (issue 20; docs/BENCHMARKS.md). Lazy imports stay lazy: each becomes its own chunk.
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
  // __dirname and __filename for the CommonJS dependencies bundled into ESM chunks.
  shims: true,
  // Every dependency but qrcode-terminal (its octal escapes are not strict-mode code; it loads after listening).
  noExternal: [/^(?!qrcode-terminal$)/],
  // esbuild's bundled CommonJS calls require() for Node's built-ins: give every chunk one.
  esbuildPlugins: [onlyEnglishZodLocales, confWithoutSchemas],
  onSuccess: async () => asciiOnly("dist"),
  banner: { js: 'import { createRequire as __companionRequire } from "node:module"; const require = __companionRequire(import.meta.url);' },
});
