// GET /api/files/search: file names inside a directory of the allowed roots, for the composer's `@` (names only, never contents).
import type { Polka } from "polka";
import { FileSearchQuerySchema, type FileSearchQuery, type FileSearchResponse } from "../../protocol/index.js";
import { sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";

export interface FileRouteDeps {
  /** Throws FORBIDDEN_PATH for a directory outside the roots, missing or not a directory. */
  searchFiles(query: FileSearchQuery): Promise<FileSearchResponse>;
}

export function registerFileRoutes(app: Polka, deps: FileRouteDeps): void {
  app.get("/api/files/search", async (req, res) => {
    const q = parseInput(FileSearchQuerySchema, { ...req.query }, "query");
    sendJson(res, 200, await deps.searchFiles(q));
  });
}
