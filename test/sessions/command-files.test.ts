// Frontmatter of command files, read as Claude Code 2.1.332 reads it for descriptions and hints.
import { expect, test } from "vitest";
import { parseFrontmatter } from "../../src/sessions/command-files.js";

test.each([
  ["---\ndescription: Say x\nargument-hint: \"<what>\"\n---\nBody\n", { description: "Say x", "argument-hint": "<what>" }, "Body\n"],
  ["---\r\nname: 'my-skill'\r\n---\r\nB", { name: "my-skill" }, "B"],
  ["No frontmatter\n", {}, "No frontmatter\n"],
  ["---\nnot closed\n", {}, "---\nnot closed\n"],
])("%j", (text, fields, body) => {
  expect(parseFrontmatter(text)).toEqual({ fields, body });
});
