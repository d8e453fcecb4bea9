// Hash routing: `#/` the session list, `#/new` a new session, `#/s/<id>` a conversation. Parsing is pure.

export type Route = { name: "list" } | { name: "new" } | { name: "session"; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/s\/([A-Za-z0-9-]{1,128})$/.exec(hash);
  if (m) return { name: "session", id: m[1]! };
  if (hash === "#/new") return { name: "new" };
  return { name: "list" };
}

export function routeHash(route: Route): string {
  return route.name === "session" ? `#/s/${route.id}` : route.name === "new" ? "#/new" : "#/";
}
