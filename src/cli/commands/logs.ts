// `logs [-f] [-n N]`: the daemon's JSON log file, printed readably; -f follows it (across rotation).
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { LOG_FILE } from "../../config/index.js";
import { readableLogLine, tailLog } from "../../log.js";
import { cliContext, EXIT, fail } from "../common.js";

export async function logsCommand(flags: { follow?: boolean; lines?: string; configDir?: string }): Promise<void> {
  const n = Number(flags.lines ?? 50);
  if (!Number.isInteger(n) || n < 0 || n > 100_000) fail(`--lines=${JSON.stringify(flags.lines)} is not valid: expected an integer from 0 to 100000.`, EXIT.USAGE);
  const { config, running } = await cliContext(flags);
  const path = running?.state.logPath ?? join(config.configDir, LOG_FILE);
  if (!existsSync(path)) fail(`No log file at ${path}.`, EXIT.ERROR, "The log is written when the daemon runs in the background: claude-companion start -d");
  const color = Boolean(process.stdout.isTTY) && !config.noColor;
  process.stdout.write(tailLog(path, n, color));
  if (!flags.follow) return;

  let offset = statSync(path).size;
  let rest = "";
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    // Polling a file is what `tail -f` does where no change events are reliable (rotation replaces the file).
    await delay(250);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      continue;
    }
    if (size < offset) offset = 0; // rotated
    if (size === offset) continue;
    const fd = openSync(path, "r");
    try {
      let read: number;
      while ((read = readSync(fd, buf, 0, buf.length, offset)) > 0) {
        offset += read;
        const lines = (rest + buf.subarray(0, read).toString("utf8")).split("\n");
        rest = lines.pop() ?? "";
        for (const l of lines) if (l) process.stdout.write(readableLogLine(l, color));
      }
    } finally {
      closeSync(fd);
    }
  }
}
