// GET /api/directories: the directory picker's listing (inside the allowed roots only).
import type { Polka } from "polka";
import { DirectoriesQuerySchema, type DirectoryListResponse } from "../../protocol/index.js";
import { sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";

export interface DirectoryRouteDeps {
  /** Throws FORBIDDEN_PATH for a path outside the roots, missing or not a directory. */
  listDirectories(path: string | undefined): DirectoryListResponse;
}

export function registerDirectoryRoutes(app: Polka, deps: DirectoryRouteDeps): void {
  app.get("/api/directories", (req, res) => {
    const q = parseInput(DirectoriesQuerySchema, { ...req.query }, "query");
    sendJson(res, 200, deps.listDirectories(q.path));
  });
}
