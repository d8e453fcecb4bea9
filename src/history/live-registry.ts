// Which Claude Code processes run now: the CLI's own registry, `<config>/sessions/<pid>.json`, checked against live pids.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface LiveProcess {
  pid: number;
  sessionId: string;
  cwd?: string;
}

/** Registry entries are re-read at most this often (ms). */
const TTL_MS = 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** On Linux the CLI records the process start time (field 22 of /proc/<pid>/stat): a reused pid does not match. */
async function sameProcess(pid: number, procStart: unknown): Promise<boolean> {
  if (typeof procStart !== "string" || process.platform !== "linux") return true;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (stat === undefined) return true;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] === procStart;
}

export interface LiveRegistry {
  /** Live CLI processes by session id: at most TTL_MS old, or read now with `fresh`. */
  current(fresh?: boolean): Promise<Map<string, LiveProcess>>;
}

export function createLiveRegistry(claudeConfigDir: string, now: () => number = Date.now): LiveRegistry {
  const dir = path.join(claudeConfigDir, "sessions");
  let cached: { at: number; map: Promise<Map<string, LiveProcess>> } | undefined;
  const load = async (): Promise<Map<string, LiveProcess>> => {
    const map = new Map<string, LiveProcess>();
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => /^\d+\.json$/.test(n))
        .map(async (n) => {
          const raw = await readFile(path.join(dir, n), "utf8").catch(() => undefined);
          if (raw === undefined) return;
          let entry: { pid?: unknown; sessionId?: unknown; cwd?: unknown; procStart?: unknown };
          try {
            entry = JSON.parse(raw) as typeof entry;
          } catch {
            return;
          }
          const { pid, sessionId } = entry;
          if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0 || typeof sessionId !== "string") return;
          if (!alive(pid) || !(await sameProcess(pid, entry.procStart))) return;
          map.set(sessionId, { pid, sessionId, ...(typeof entry.cwd === "string" ? { cwd: entry.cwd } : {}) });
        }),
    );
    return map;
  };
  return {
    current(fresh = false) {
      if (fresh || !cached || now() - cached.at >= TTL_MS) cached = { at: now(), map: load() };
      return cached.map;
    },
  };
}
