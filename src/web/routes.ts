// Hash routing: `#/` the session list, `#/new` a new session, `#/s/<id>` a conversation (`/changes`, `/diff/<path>`, `/file/<path>` its Changes view), `#/history` and `#/h/<id>` Claude Code's own sessions. Parsing is pure.

export type Route =
  | { name: "list" }
  | { name: "new" }
  | { name: "session"; id: string }
  | { name: "history" }
  | { name: "historySession"; id: string }
  | { name: "changes"; id: string }
  | { name: "diff"; id: string; path: string }
  | { name: "file"; id: string; path: string };

function decoded(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function changesRoute(hash: string): Route | null {
  const m = /^#\/s\/([A-Za-z0-9-]{1,128})\/(changes|diff|file)(?:\/(.+))?$/.exec(hash);
  if (!m) return null;
  const id = m[1]!;
  if (m[2] === "changes") return m[3] === undefined ? { name: "changes", id } : null;
  const path = m[3] === undefined ? null : decoded(m[3]);
  return path ? { name: m[2] as "diff" | "file", id, path } : null;
}

export function parseRoute(hash: string): Route {
  const c = changesRoute(hash);
  if (c) return c;
  const m = /^#\/s\/([A-Za-z0-9-]{1,128})$/.exec(hash);
  if (m) return { name: "session", id: m[1]! };
  const h = /^#\/h\/([A-Za-z0-9-]{1,128})$/.exec(hash);
  if (h) return { name: "historySession", id: h[1]! };
  if (hash === "#/history") return { name: "history" };
  if (hash === "#/new") return { name: "new" };
  return { name: "list" };
}

export function routeHash(route: Route): string {
  if (route.name === "changes") return `#/s/${route.id}/changes`;
  if (route.name === "diff" || route.name === "file") return `#/s/${route.id}/${route.name}/${encodeURIComponent(route.path)}`;
  if (route.name === "history") return "#/history";
  if (route.name === "historySession") return `#/h/${route.id}`;
  return route.name === "session" ? `#/s/${route.id}` : route.name === "new" ? "#/new" : "#/";
}
