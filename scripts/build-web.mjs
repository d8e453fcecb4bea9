// Builds the phone client (src/web) into dist/web. Replaced by the web client's own build.
import { mkdirSync } from "node:fs";
mkdirSync(new URL("../dist/web", import.meta.url), { recursive: true });
