// The root pino logger: JSON in daemon mode, readable coloured lines in the foreground. Redacts tokens.
import { existsSync, readFileSync } from "node:fs";
import { Writable } from "node:stream";
import kleur from "kleur";
import pino, { type Logger } from "pino";

export type { Logger } from "pino";
export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  format: LogFormat;
  level?: string;
  /** Where lines go; default stderr. */
  destination?: NodeJS.WritableStream;
  /** Colour for pretty output (NO_COLOR is resolved by config). */
  color?: boolean;
}

// Anything that could carry a secret is censored before it is serialised.
const REDACT_PATHS = [
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  'req.headers["sec-websocket-protocol"]',
  "deviceToken",
  "*.deviceToken",
  "pairingToken",
  "*.pairingToken",
];

const TOKEN_QUERY = /([?&](?:token|access_token)=)[^&#\s"]*/gi;

/** Removes token query parameters from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_QUERY, "$1[redacted]");
}

const LEVEL_LABEL: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** One JSON log line as a readable line (used for the foreground and by `claude-companion logs`). */
export function prettyLine(obj: Record<string, unknown>, color: boolean): string {
  const c = kleur;
  kleur.enabled = color;
  const level = LEVEL_LABEL[obj.level as number] ?? String(obj.level);
  const paint =
    level === "error" || level === "fatal" ? c.red : level === "warn" ? c.yellow : level === "info" ? c.green : c.gray;
  const time = new Date(obj.time as number).toISOString().replace("T", " ").slice(0, 23);
  const { level: _l, time: _t, msg, pid: _p, hostname: _h, room, ...rest } = obj;
  const extras = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  return `${c.gray(time)} ${paint(level.padEnd(5))} ${room ? c.cyan(`[${String(room)}] `) : ""}${String(msg ?? "")}${extras ? " " + c.gray(extras) : ""}\n`;
}

/** One line of the JSON log, readable (a line that is not JSON is printed as it is). */
export function readableLogLine(line: string, color: boolean): string {
  try {
    return prettyLine(JSON.parse(line) as Record<string, unknown>, color);
  } catch {
    return line + "\n";
  }
}

/** The last `n` lines of a JSON log file, readable. */
export function tailLog(path: string, n: number, color: boolean): string {
  if (!existsSync(path)) return "";
  const lines = readFileSync(path, "utf8").split("\n").filter(Boolean).slice(-n);
  return lines.map((l) => readableLogLine(l, color)).join("");
}

function prettyStream(dest: NodeJS.WritableStream, color: boolean): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line) dest.write(readableLogLine(line, color));
      }
      cb();
    },
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const dest = options.destination ?? process.stderr;
  const stream = options.format === "json" ? dest : prettyStream(dest, options.color ?? false);
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: options.format === "json" ? { pid: process.pid } : {},
    },
    stream as pino.DestinationStream,
  );
}

/** A logger that drops everything (tests and library use). */
export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
