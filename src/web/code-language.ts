// Which language a piece of code is in: the name on a Markdown fence, or a file's extension. Pure.

/** File extensions (and a few whole names) to the language named on a fence; used for file contents and diffs. */
const BY_EXTENSION: Record<string, string> = {
  ts: "typescript", tsx: "tsx", mts: "typescript", cts: "typescript", js: "javascript", jsx: "jsx", mjs: "javascript", cjs: "javascript",
  json: "json", jsonc: "json", md: "markdown", markdown: "markdown", py: "python", rb: "ruby", go: "go", rs: "rust",
  java: "java", kt: "kotlin", kts: "kotlin", swift: "swift", c: "c", h: "c", cc: "cpp", cpp: "cpp", hpp: "cpp", cs: "csharp",
  php: "php", css: "css", scss: "scss", html: "html", htm: "html", xml: "xml", svg: "svg", vue: "vue", yml: "yaml", yaml: "yaml",
  toml: "toml", ini: "ini", cfg: "ini", sh: "bash", bash: "bash", zsh: "zsh", sql: "sql", diff: "diff", patch: "diff",
  dockerfile: "dockerfile", makefile: "makefile", mk: "makefile",
};

/** The language of a file from its name (`src/a.ts` -> "typescript", `Dockerfile` -> "dockerfile"), or null. */
export function languageForPath(path: string): string | null {
  const name = (path.split(/[\\/]/).pop() ?? "").toLowerCase();
  if (name === "dockerfile" || name === "makefile") return name;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? (BY_EXTENSION[name.slice(dot + 1)] ?? null) : null;
}

/** The language named on a fence (```ts title=x -> "ts"), lower-cased, or null when none is named. */
export function fenceLanguage(info: string | undefined): string | null {
  const word = (info ?? "").trim().split(/\s+/)[0]?.replace(/^\{?\.?/, "").replace(/\}$/, "").toLowerCase();
  return word ? word : null;
}
