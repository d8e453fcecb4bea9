// The page's hash routes: parsed from location.hash and written back the same way.
import { expect, test } from "vitest";
import { parseRoute, routeHash, type Route } from "../../src/web/routes.js";

test.each<[string, Route, string]>([
  ["#/", { name: "list" }, "#/"],
  ["", { name: "list" }, "#/"],
  ["#/new", { name: "new" }, "#/new"],
  ["#/s/00000000-0000-4000-8000-000000000001", { name: "session", id: "00000000-0000-4000-8000-000000000001" }, "#/s/00000000-0000-4000-8000-000000000001"],
  ["#/s/../etc", { name: "list" }, "#/"],
  ["#/s/", { name: "list" }, "#/"],
  ["#pair=abc", { name: "list" }, "#/"],
  ["#/s/abc-1/changes", { name: "changes", id: "abc-1" }, "#/s/abc-1/changes"],
  ["#/s/abc-1/diff/src%2Fapp.ts", { name: "diff", id: "abc-1", path: "src/app.ts" }, "#/s/abc-1/diff/src%2Fapp.ts"],
  ["#/s/abc-1/file/%2Fhome%2Fme%2Fa%20b.md", { name: "file", id: "abc-1", path: "/home/me/a b.md" }, "#/s/abc-1/file/%2Fhome%2Fme%2Fa%20b.md"],
  ["#/s/abc-1/diff/", { name: "list" }, "#/"],
  ["#/s/abc-1/diff/%E0%A4%A", { name: "list" }, "#/"],
  ["#/s/abc-1/changes/x", { name: "list" }, "#/"],
])("parseRoute(%j)", (hash, route, back) => {
  expect(parseRoute(hash)).toEqual(route);
  expect(routeHash(route)).toBe(back);
});
