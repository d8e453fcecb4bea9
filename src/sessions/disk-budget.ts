// The sessions directory's disk budget (SESSIONS_MAX_MB): how much it holds, and pruning the oldest closed sessions; never an open one.
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export interface DiskUsage {
  /** Bytes of every file in the sessions directory. */
  usedBytes: number;
  /** The budget (SESSIONS_MAX_MB in bytes). */
  maxBytes: number;
  /** Sessions on disk (meta files). */
  sessions: number;
}

interface OnDisk {
  id: string;
  bytes: number;
  /** From its meta; undefined while it is open (or suspended by a shutdown). */
  closedAt: number | undefined;
}

function scan(dir: string): OnDisk[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const byId = new Map<string, OnDisk>();
  for (const name of names) {
    const m = /^([0-9a-f-]{36})\.(json|jsonl)$/i.exec(name);
    if (!m) continue;
    const id = m[1]!;
    const entry = byId.get(id) ?? { id, bytes: 0, closedAt: undefined };
    try {
      entry.bytes += statSync(join(dir, name)).size;
      if (m[2] === "json") {
        const closedAt = (JSON.parse(readFileSync(join(dir, name), "utf8")) as { closedAt?: unknown }).closedAt;
        if (typeof closedAt === "number") entry.closedAt = closedAt;
      }
    } catch {
      /* gone or unreadable: counted as far as it could be */
    }
    byId.set(id, entry);
  }
  return [...byId.values()];
}

export function diskUsage(dir: string, maxBytes: number): DiskUsage {
  const all = scan(dir);
  return { usedBytes: all.reduce((n, s) => n + s.bytes, 0), maxBytes, sessions: all.length };
}

/** Deletes the oldest closed sessions until the directory fits `maxBytes`; never one in `open`. Returns the ids deleted. */
export function pruneToBudget(dir: string, maxBytes: number, open: ReadonlySet<string>): string[] {
  const all = scan(dir);
  let total = all.reduce((n, s) => n + s.bytes, 0);
  const deleted: string[] = [];
  const closedOldestFirst = all.filter((s) => s.closedAt !== undefined && !open.has(s.id)).sort((a, b) => a.closedAt! - b.closedAt!);
  for (const s of closedOldestFirst) {
    if (total <= maxBytes) break;
    for (const ext of [".jsonl", ".json"]) rmSync(join(dir, s.id + ext), { force: true });
    total -= s.bytes;
    deleted.push(s.id);
  }
  return deleted;
}
