// Reading a file for the viewer: bounded in size (FILE_TOO_LARGE), binary marked, never a directory or device; a language guessed by name.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { basename, extname } from "node:path";
import { CompanionError } from "../protocol/errors.js";

export interface ReadText {
  size: number;
  modifiedAt: number;
  binary: boolean;
  /** null when binary. */
  text: string | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Binary: a NUL byte in the first 8 000 bytes (git's rule), or not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.subarray(0, 8000).includes(0)) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Reads a regular file of at most `maxBytes`; `shownAs` names it in errors. */
export async function readBoundedFile(real: string, maxBytes: number, shownAs: string): Promise<ReadText> {
  // O_NONBLOCK: a FIFO planted in the tree must not hang the request on open.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => {
    throw new CompanionError("FORBIDDEN_PATH", { path: shownAs, reason: "it cannot be read" });
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new CompanionError("FORBIDDEN_PATH", { path: shownAs, reason: "it is not a regular file" });
    if (st.size > maxBytes) throw new CompanionError("FILE_TOO_LARGE", { path: shownAs, size: st.size, limit: maxBytes });
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const r = await handle.read(buf, read, st.size - read, read);
      if (r.bytesRead === 0) break;
      read += r.bytesRead;
    }
    const text = decodeText(buf.subarray(0, read));
    return { size: st.size, modifiedAt: Math.round(st.mtimeMs), binary: text === null, text };
  } finally {
    await handle.close();
  }
}

const BY_EXTENSION: Record<string, string> = {
  ts: "typescript", tsx: "typescript", mts: "typescript", cts: "typescript",
  js: "javascript", jsx: "javascript", mjs: "javascript", cjs: "javascript",
  json: "json", md: "markdown", markdown: "markdown", css: "css", scss: "scss", html: "html", htm: "html", xml: "xml", svg: "xml",
  py: "python", rb: "ruby", go: "go", rs: "rust", java: "java", kt: "kotlin", swift: "swift", c: "c", h: "c",
  cc: "cpp", cpp: "cpp", hpp: "cpp", cs: "csharp", php: "php", sh: "bash", bash: "bash", zsh: "bash",
  yml: "yaml", yaml: "yaml", toml: "toml", ini: "ini", sql: "sql", lua: "lua", diff: "diff", patch: "diff",
};
const BY_NAME: Record<string, string> = { dockerfile: "dockerfile", makefile: "makefile" };

/** A language name for highlighting, from the file name; null when unknown. */
export function languageOf(path: string): string | null {
  const name = basename(path).toLowerCase();
  return BY_NAME[name] ?? BY_EXTENSION[extname(name).slice(1)] ?? null;
}
