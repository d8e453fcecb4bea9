// Hash routing: `#/` the session list, `#/new` a new session, `#/s/<id>` a conversation, `#/history` and `#/h/<id>` Claude Code's own sessions. Parsing is pure.

export type Route = { name: "list" } | { name: "new" } | { name: "session"; id: string } | { name: "history" } | { name: "historySession"; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/s\/([A-Za-z0-9-]{1,128})$/.exec(hash);
  if (m) return { name: "session", id: m[1]! };
  const h = /^#\/h\/([A-Za-z0-9-]{1,128})$/.exec(hash);
  if (h) return { name: "historySession", id: h[1]! };
  if (hash === "#/history") return { name: "history" };
  if (hash === "#/new") return { name: "new" };
  return { name: "list" };
}

export function routeHash(route: Route): string {
  if (route.name === "history") return "#/history";
  if (route.name === "historySession") return `#/h/${route.id}`;
  return route.name === "session" ? `#/s/${route.id}` : route.name === "new" ? "#/new" : "#/";
}
