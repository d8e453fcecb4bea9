// The reading pipeline without a DOM: Markdown cut at its code blocks, fence and file languages, highlight.js output.
import { expect, test } from "vitest";
import { fenceLanguage, languageForPath } from "../../src/web/code-language.js";
import { markdownPartsUnsafe } from "../../src/web/markdown.js";

// Loaded by a computed path: highlight.js's types pull in the DOM lib, which the Node typecheck must not see.
const CORE = "../../src/web/highlight-core.js";
const { highlightWith } = (await import(CORE)) as { highlightWith(code: string, language: string): string | null };

test("a message is cut at its top-level fenced code blocks, keeping the language named on the fence", () => {
  const parts = markdownPartsUnsafe("Intro [a link][r]\n\n```ts\nconst a = 1 < 2;\n```\n\nOutro\n\n    indented\n\n[r]: https://example.com");
  expect(parts.map((p) => p.kind)).toEqual(["html", "code", "html", "code"]);
  expect(parts[1]).toEqual({ kind: "code", code: "const a = 1 < 2;", lang: "ts" });
  // Reference links still resolve in the prose around a code block.
  expect((parts[0] as { html: string }).html).toContain('<a href="https://example.com">a link</a>');
  expect(parts[3]).toEqual({ kind: "code", code: "indented", lang: undefined });
});

test("raw HTML in the prose around a code block stays escaped", () => {
  const parts = markdownPartsUnsafe("<img src=x onerror=alert(1)>\n\n```html\n<script>alert(2)</script>\n```");
  expect((parts[0] as { html: string }).html).not.toMatch(/<img/);
  expect(parts[1]).toEqual({ kind: "code", code: "<script>alert(2)</script>", lang: "html" });
});

test.each([
  ["ts", "ts"],
  ["TypeScript title=a.ts", "typescript"],
  ["{.python}", "python"],
  ["", null],
  [undefined, null],
])("fenceLanguage(%j) = %j", (info, lang) => {
  expect(fenceLanguage(info)).toBe(lang);
});

test.each([
  ["/home/me/app/src/index.ts", "typescript"],
  ["C:\\\\work\\\\main.py", "python"],
  ["Dockerfile", "dockerfile"],
  ["config.toml", "toml"],
  ["notes.txt", null],
  ["Makefile", "makefile"],
  [".bashrc", null],
])("languageForPath(%j) = %j", (path, lang) => {
  expect(languageForPath(path)).toBe(lang);
});

test("highlight.js marks keywords, strings and comments, and escapes the code text", () => {
  const html = highlightWith('const s = "<b>"; // note', "ts")!;
  expect(html).toContain('<span class="hljs-keyword">const</span>');
  expect(html).toContain('<span class="hljs-string">&quot;&lt;b&gt;&quot;</span>');
  expect(html).toContain('<span class="hljs-comment">// note</span>');
  expect(html).not.toContain("<b>");
});

test.each(["sh", "tsx", "toml", "html", "jsonc", "py", "rs", "go", "yaml", "diff"])("the fence name %s is a known language", (lang) => {
  expect(highlightWith("x", lang)).not.toBeNull();
});

test("an unknown language is not highlighted (shown as plain text)", () => {
  expect(highlightWith("x", "klingon")).toBeNull();
});
