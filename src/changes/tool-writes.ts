// The files Claude's tools wrote in a session, from its events (pure): what each held before the session's first write.
import type { SessionEvent } from "../protocol/events.js";

/** Tools that write a file named by `file_path` (NotebookEdit: `notebook_path`). */
export const WRITING_TOOLS = new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);

export interface ToolWrite {
  /** Absolute path as the tool named it. */
  path: string;
  /**
   * The content before the session's first successful write: "" for a file the tool created, the text from
   * Claude's structured tool result (`originalFile`) when it gave one, null when unknown.
   */
  before: string | null;
  /** The first write created the file. */
  created: boolean;
}

function pathOf(input: unknown): string | null {
  if (!input || typeof input !== "object") return null;
  const o = input as Record<string, unknown>;
  const p = o.file_path ?? o.notebook_path;
  return typeof p === "string" && p.length > 0 && p.length <= 4096 && !p.includes("\0") ? p : null;
}

/** The structured result of Write (`{ type: "create" | "update", originalFile }`) and Edit (`{ originalFile }`). */
function beforeOf(structured: unknown): { before: string | null; created: boolean } {
  if (!structured || typeof structured !== "object") return { before: null, created: false };
  const s = structured as Record<string, unknown>;
  if (s.type === "create") return { before: "", created: true };
  return { before: typeof s.originalFile === "string" ? s.originalFile : null, created: false };
}

/**
 * The files written by successful tool uses in `events`, by absolute path (relative ones resolve against `cwd`
 * with `resolve`), in the order first written. A use whose result is an error, or that has no result yet, is left out.
 */
export function toolWrites(events: Iterable<SessionEvent>, resolve: (path: string) => string): Map<string, ToolWrite> {
  const uses = new Map<string, string>();
  const writes = new Map<string, ToolWrite>();
  for (const e of events) {
    if (e.type !== "streamToolUse") continue;
    const d = e.data;
    if (d.phase === "use") {
      const p = WRITING_TOOLS.has(d.name) ? pathOf(d.input) : null;
      if (p) uses.set(d.toolUseId, resolve(p));
      continue;
    }
    const path = uses.get(d.toolUseId);
    if (!path || d.isError) continue;
    uses.delete(d.toolUseId);
    if (!writes.has(path)) writes.set(path, { path, ...beforeOf(d.structured) });
  }
  return writes;
}
