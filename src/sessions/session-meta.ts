// A session's meta file (<id>.json, 0600, written atomically): its schema, reading it back (an unreadable one is skipped) and writing it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import { writeFileAtomicSync } from "../atomic-file.js";
import { PermissionModeSchema } from "../protocol/common.js";
import { SessionGrantSchema } from "../protocol/grants.js";
import { RestoreSummarySchema } from "./restore.js";

export const META = ".json";

export const SessionMetaSchema = z.object({
  version: z.literal(1),
  sessionId: z.uuid(),
  workingDirectory: z.string(),
  createdAt: z.number(),
  permissionMode: PermissionModeSchema,
  model: z.string().optional(),
  /** What "Always allow" granted (SessionInfo.grants): every later spawn of the session gets them again. */
  grants: z.array(SessionGrantSchema).optional(),
  /** ms since epoch when the session was closed; absent while it is open (or suspended by a shutdown). */
  closedAt: z.number().optional(),
  /** The highest seq issued so far, written when the meta is (events lost to a full disk leave it above the file's last line). */
  lastSeq: z.number().int().nonnegative().optional(),
  /** The last Claude process spawned for it: a survivor of a killed daemon is stopped before any --resume. */
  claude: z.object({ pid: z.number().int().positive(), startTime: z.string().max(32) }).optional(),
  /** What the events up to byte `bytes` of the event file say (restore needs no more than the rest of the file). */
  summary: RestoreSummarySchema.extend({ bytes: z.number().int().nonnegative() }).optional(),
});
export type SessionMeta = z.infer<typeof SessionMetaSchema>;

/** The meta of `sessionId` in `dir`, or undefined when it is missing, unreadable or names another session (logged unless missing). */
export function readMetaFile(dir: string, sessionId: string, logger: Logger): SessionMeta | undefined {
  const name = sessionId + META;
  try {
    const meta = SessionMetaSchema.parse(JSON.parse(readFileSync(join(dir, name), "utf8")));
    return meta.sessionId === sessionId ? meta : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") logger.warn({ file: name, err: (err as Error).message }, "skipping an unreadable session meta file");
    return undefined;
  }
}

/** Writes the meta atomically (the directory is made 0700 if missing). Throws what the file system throws. */
export function writeMeta(dir: string, meta: SessionMeta): void {
  writeFileAtomicSync(join(dir, meta.sessionId + META), JSON.stringify(meta) + "\n");
}
