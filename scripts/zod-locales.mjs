// Bundled in place of zod's locales/index.js: only English, the one the daemon uses (the other ~40 are 360 KB to compile at start).
export { default as en } from "zod/v4/locales/en.js";
