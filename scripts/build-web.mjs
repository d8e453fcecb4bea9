// Builds the phone client (src/web) into dist/web: hashed, minified JS and CSS under assets/, PNG icons drawn
// here, index.html and manifest.webmanifest. Fails when the gzipped initial JS+CSS passes the budget (150 KB);
// lazy chunks (dynamic import(), e.g. the syntax highlighter) are reported beside it and not counted.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync, gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src/web");
const out = join(root, "dist/web");
const assets = join(out, "assets");
const BUDGET_BYTES = 150 * 1024;
const ACCENT = [0xc2, 0x41, 0x0c];

rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
  entryPoints: { app: join(src, "main.tsx") },
  bundle: true,
  minify: true,
  format: "esm",
  // Code splitting: what the first screen does not need (the highlighter) is a chunk loaded by import().
  splitting: true,
  chunkNames: "chunk-[hash]",
  target: ["es2020", "safari14", "chrome90", "firefox90"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: assets,
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  metafile: true,
  sourcemap: false,
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
  tsconfig: join(src, "tsconfig.json"),
  loader: { ".svg": "file" },
  publicPath: "/assets",
});

// The service worker: one classic script at the root (its scope is the whole client), not hashed, revalidated on load.
await build({
  entryPoints: [join(src, "sw.ts")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020", "safari14", "chrome90", "firefox90"],
  outfile: join(out, "sw.js"),
  logLevel: "warning",
  tsconfig: join(src, "tsconfig.json"),
});

// The protocol is shared by type only: its zod schemas must never reach the phone.
const serverOnly = Object.keys(result.metafile.inputs).filter((p) => /node_modules\/(zod|ws|pino|polka)\//.test(p));
if (serverOnly.length > 0) throw new Error(`build-web: server-side modules in the phone bundle: ${serverOnly.slice(0, 5).join(", ")}`);

const outputs = Object.keys(result.metafile.outputs).map((p) => resolve(root, p));
const entryKey = Object.keys(result.metafile.outputs).find((p) => result.metafile.outputs[p].entryPoint && p.endsWith(".js"));
const js = entryKey && resolve(root, entryKey);
const css = outputs.find((p) => p.endsWith(".css"));
if (!js || !css) throw new Error(`build-web: expected an entry .js and one .css output, got ${outputs.join(", ")}`);
/** The entry and every chunk it imports statically (loaded with the first screen); the other chunks load on demand. */
function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imp of result.metafile.outputs[key].imports) if (imp.kind === "import-statement") staticClosure(imp.path, seen);
  return seen;
}
const initialJs = [...staticClosure(entryKey)].map((p) => resolve(root, p));
const lazyJs = outputs.filter((p) => p.endsWith(".js") && !initialJs.includes(p));
const url = (abs) => "/" + relative(out, abs).split("\\").join("/");

// ---- icons: drawn here so no binary lives in the repository ---------------------------------

function hashed(name, ext, data) {
  const file = `${name}-${createHash("sha256").update(data).digest("base64url").slice(0, 8)}.${ext}`;
  writeFileSync(join(assets, file), data);
  return `/assets/${file}`;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** The app icon (accent square, a white open ring and a dot) as an RGB PNG, full bleed so it also works as maskable. */
function iconPng(size) {
  const c = size / 2;
  const ringR = 0.26 * size;
  const half = 0.035 * size;
  const dotR = 0.07 * size;
  const gap = (40 * Math.PI) / 180;
  const caps = [
    [ringR * Math.cos(gap), ringR * Math.sin(gap)],
    [ringR * Math.cos(gap), -ringR * Math.sin(gap)],
  ];
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - c;
      const dy = c - (y + 0.5);
      const r = Math.hypot(dx, dy);
      const inGap = Math.abs(Math.atan2(dy, dx)) < gap;
      const ring = inGap ? Math.min(...caps.map(([px, py]) => Math.hypot(dx - px, dy - py))) - half : Math.abs(r - ringR) - half;
      const d = Math.min(ring, r - dotR);
      const white = Math.max(0, Math.min(1, 0.5 - d));
      const o = y * (size * 3 + 1) + 1 + x * 3;
      for (let i = 0; i < 3; i++) raw[o + i] = Math.round(ACCENT[i] * (1 - white) + 255 * white);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const icon192 = hashed("icon-192", "png", iconPng(192));
const icon512 = hashed("icon-512", "png", iconPng(512));
const icon180 = hashed("icon-180", "png", iconPng(180));
// The SVG icon is imported by the app (pairing screen), so esbuild already emitted it hashed.
const svg = outputs.find((p) => p.endsWith(".svg"));
if (!svg) throw new Error("build-web: the app no longer imports icon.svg");
const iconSvg = url(svg);

// ---- manifest and index.html (not hashed, served with no-cache) ------------------------------

const manifest = {
  name: "Claude Companion",
  short_name: "Companion",
  description: "Drive Claude Code on your computer from this phone.",
  id: "/",
  start_url: "/",
  scope: "/",
  display: "standalone",
  orientation: "any",
  background_color: "#141413",
  theme_color: "#c2410c",
  // Sharing a picture into the installed app: the service worker (src/web/sw.ts) takes this POST.
  share_target: {
    action: "/share-target",
    method: "POST",
    enctype: "multipart/form-data",
    params: { title: "title", text: "text", url: "url", files: [{ name: "images", accept: ["image/*"] }] },
  },
  icons: [
    { src: icon192, sizes: "192x192", type: "image/png", purpose: "any" },
    { src: icon512, sizes: "512x512", type: "image/png", purpose: "any" },
    { src: icon512, sizes: "512x512", type: "image/png", purpose: "maskable" },
    { src: iconSvg, sizes: "any", type: "image/svg+xml", purpose: "any" },
  ],
};
writeFileSync(join(out, "manifest.webmanifest"), JSON.stringify(manifest, null, 2) + "\n");

const html = readFileSync(join(src, "index.html"), "utf8")
  .replace("%JS%", url(js))
  .replace("%CSS%", url(css))
  .replace("%ICON_SVG%", iconSvg)
  .replace("%ICON_180%", icon180);
if (/%[A-Z_0-9]+%/.test(html)) throw new Error("build-web: index.html has an unreplaced placeholder");
writeFileSync(join(out, "index.html"), html);

// ---- budget ---------------------------------------------------------------------------------

const gz = (p) => gzipSync(readFileSync(p), { level: 9 }).length;
const jsGz = initialJs.reduce((n, p) => n + gz(p), 0);
const cssGz = gz(css);
const total = jsGz + cssGz;
const lazyGz = lazyJs.reduce((n, p) => n + gz(p), 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `web: ${basename(js)}${initialJs.length > 1 ? ` (+${initialJs.length - 1} chunks)` : ""} ${kb(jsGz)} gz, ${basename(css)} ${kb(cssGz)} gz, ` +
    `initial ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)}); lazy ${lazyJs.length} chunk${lazyJs.length === 1 ? "" : "s"} ${kb(lazyGz)} gz -> ${relative(root, out)}`,
);
if (total > BUDGET_BYTES) {
  console.error(`web: the phone client is ${kb(total)} gzipped, over the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
