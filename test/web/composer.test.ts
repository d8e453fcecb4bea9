// The composer's pure parts: which word asks for suggestions, how commands are filtered, the picture limits.
import { describe, expect, test } from "vitest";
import type { SlashCommand } from "../../src/protocol/composer.js";
import { MAX_IMAGE_BYTES, MAX_IMAGES } from "../../src/protocol/constants.js";
import { fitImages, refuseSource, type AttachedImage } from "../../src/web/image-limits.js";
import { commandChoices, fileReference, filterCommands, replaceWord, triggerAt } from "../../src/web/suggest.js";

describe("triggerAt", () => {
  test.each([
    ["/", 1, { kind: "command", query: "", start: 0, end: 1 }],
    ["/com", 4, { kind: "command", query: "com", start: 0, end: 4 }],
    ["  /co", 5, { kind: "command", query: "co", start: 2, end: 5 }],
    ["/compact now", 12, null],
    ["fix /this", 9, null],
    ["look at @src/re", 15, { kind: "file", query: "src/re", start: 8, end: 15 }],
    ["@", 1, { kind: "file", query: "", start: 0, end: 1 }],
    ["a@b.com", 7, null],
    ["look at @src more", 12, { kind: "file", query: "src", start: 8, end: 12 }],
    ["plain text", 5, null],
  ])("%j at %i", (text, caret, expected) => {
    expect(triggerAt(text, caret)).toEqual(expected);
  });
});

const cmd = (name: string, extra: Partial<SlashCommand> = {}): SlashCommand => ({ name, description: "", argumentHint: "", aliases: [], builtin: true, unavailable: null, ...extra });

test("commands: names and aliases that start with the query first, the project's own before built-ins, then those that contain it", () => {
  const list = [cmd("compact"), cmd("clear", { aliases: ["reset"] }), cmd("code-review"), cmd("x-compare", { builtin: false }), cmd("context"), cmd("cost-report", { builtin: false })];
  expect(filterCommands(list, "co").map((c) => c.name)).toEqual(["cost-report", "compact", "code-review", "context", "x-compare"]);
  expect(filterCommands(list, "res").map((c) => c.name)).toEqual(["clear"]);
  expect(filterCommands(list, "").length).toBe(6);
  expect(filterCommands([cmd("init", { description: "Initialize a new CLAUDE.md" })], "claude").map((c) => c.name)).toEqual(["init"]);
  expect(filterCommands(list, "zz")).toEqual([]);
});

test("commands marked unavailable (no use under -p) are not offered; typing their name says which and why", () => {
  const list = [cmd("compact"), cmd("color", { unavailable: "It sets the colour of the terminal's prompt bar." }), cmd("clear", { aliases: ["reset"], unavailable: "New id." }), cmd("context")];
  expect(commandChoices(list, "").offered.map((c) => c.name)).toEqual(["compact", "context"]);
  expect(commandChoices(list, "").leftOut).toBeNull();
  expect(commandChoices(list, "colo")).toEqual({ offered: [], leftOut: "/color is left out: It sets the colour of the terminal's prompt bar." });
  expect(commandChoices(list, "res").leftOut).toBe("/clear is left out: New id.");
  expect(commandChoices(list, "c")).toEqual({ offered: [list[0], list[3]], leftOut: "Left out, no use from the phone: /color, /clear." });
  expect(commandChoices(list, "comp")).toEqual({ offered: [list[0]], leftOut: null });
});

test("a picked suggestion replaces the typed word and leaves one space after it", () => {
  expect(replaceWord("/co", 0, 3, "/compact")).toEqual({ text: "/compact ", caret: 9 });
  expect(replaceWord("see @re and", 4, 7, "@src/reader.ts")).toEqual({ text: "see @src/reader.ts and", caret: 19 });
  expect(fileReference("src/a b.ts")).toBe('@"src/a b.ts"');
  expect(fileReference("src/a.ts")).toBe("@src/a.ts");
});

const img = (name: string, bytes: number): AttachedImage => ({ id: name, name, width: 1, height: 1, mediaType: "image/jpeg", data: "A".repeat(bytes) });

describe("picture limits", () => {
  test("at most MAX_IMAGES per prompt: the rest are named", () => {
    const current = Array.from({ length: MAX_IMAGES - 1 }, (_, i) => img(`a${i}`, 10));
    const r = fitImages(current, [img("last.jpg", 10), img("over.jpg", 10)]);
    expect(r.images).toHaveLength(MAX_IMAGES);
    expect(r.refused).toBe(`over.jpg: a prompt takes at most ${MAX_IMAGES} pictures.`);
  });
  test("at most MAX_IMAGE_BYTES of base64 in all: a picture that would pass it is refused, a smaller later one still fits", () => {
    const r = fitImages([img("big", MAX_IMAGE_BYTES - 100)], [img("huge.jpg", 200), img("tiny.jpg", 50)]);
    expect(r.images.map((i) => i.name)).toEqual(["big", "tiny.jpg"]);
    expect(r.refused).toMatch(/^huge\.jpg: the pictures would pass 10 MB in all\.$/);
    expect(fitImages([], [img("ok", 5)]).refused).toBeNull();
  });
  test.each([
    [{ name: "notes.pdf", type: "application/pdf", size: 10 }, /notes\.pdf is not a picture/],
    [{ name: "x", type: "", size: 10 }, /not a picture \(unknown type\)/],
    [{ name: "raw.jpg", type: "image/jpeg", size: 60 * 1024 * 1024 }, /raw\.jpg is 60 MB; pictures up to 40 MB/],
  ])("refused before reading: %j", (file, message) => {
    expect(refuseSource(file)).toMatch(message);
  });
  test("a HEIC photo is not refused by type (the browser may decode it; if not, reading says so)", () => {
    expect(refuseSource({ name: "IMG.heic", type: "image/heic", size: 3_000_000 })).toBeNull();
  });
});
