// The Markdown pipeline before DOMPurify (which needs a DOM: it is tested in Chromium, test/web/e2e.test.ts).
import { expect, test } from "vitest";
import { escapeHtml, isSafeHref, renderUnsafe } from "../../src/web/markdown.js";

test.each([
  ["https://example.com/a?b=c", true],
  ["http://192.168.1.2:3001/", true],
  ["mailto:me@example.com", true],
  ["javascript:alert(1)", false],
  [" JavaScript:alert(1)", false],
  ["java\tscript:alert(1)", false],
  ["data:text/html,<script>alert(1)</script>", false],
  ["vbscript:msgbox", false],
  ["/relative/path", false],
  ["#/s/123", false],
  ["//evil.example/x", false],
  ["x", false],
])("isSafeHref(%j) = %s", (href, ok) => {
  expect(isSafeHref(href)).toBe(ok);
});

test("raw HTML in Claude's text is escaped, not passed through", () => {
  const html = renderUnsafe("Look: <img src=x onerror=alert(1)> and <script>alert(2)</script>\n\n<div onclick=x>block</div>");
  expect(html).not.toMatch(/<img|<script|<div/i);
  expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
});

test("Markdown images are not loaded: alt text and address only", () => {
  const html = renderUnsafe("![logo](http://evil.example/x.png)");
  expect(html).not.toMatch(/<img/i);
  expect(html).toContain("logo (http://evil.example/x.png)");
});

test("code blocks and GFM render", () => {
  const html = renderUnsafe("```ts\nconst a = 1 < 2;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done");
  expect(html).toContain('<pre><code class="language-ts">const a = 1 &lt; 2;');
  expect(html).toContain("<table>");
  expect(html).toContain("☑");
});

test("escapeHtml", () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});
