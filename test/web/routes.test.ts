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
])("parseRoute(%j)", (hash, route, back) => {
  expect(parseRoute(hash)).toEqual(route);
  expect(routeHash(route)).toBe(back);
});
