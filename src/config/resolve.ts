// Resolves flags > environment > conf store > defaults into one frozen, validated ResolvedConfig.
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { configInvalid, SETTINGS, type SettingKey, type Settings, type SettingSpec } from "./settings.js";

export type RawValue = string | string[] | number | boolean | undefined;

export interface ConfigInputs {
  /** Raw values from CLI flags (commander), keyed by setting. */
  flags?: Partial<Record<SettingKey, RawValue>>;
  env?: Record<string, string | undefined>;
  /** Values from the conf store's `settings` object. */
  store?: Record<string, unknown>;
  configDir: string;
  /** Directory `start` runs in; default working directory. */
  processCwd: string;
  /** Whether stderr is a terminal (colour when true and NO_COLOR is unset). */
  isTTY?: boolean;
}

export interface ResolvedConfig extends Readonly<Settings> {
  readonly configDir: string;
  /** Colour on stderr: a terminal and NO_COLOR unset. */
  readonly color: boolean;
  /** Whether NO_COLOR is set (for output on other streams than stderr). */
  readonly noColor: boolean;
  /** The user's home directory (HOME, else the OS's). */
  readonly home: string;
  /** The PATH the CLI runs with (for the service file); empty when unset. */
  readonly searchPath: string;
  /** CLAUDE_ALLOWED_TOOLS came from a flag, the environment or the config file (else the default, kept inside each session's directory). */
  readonly allowedToolsGiven: boolean;
}

function toRaw(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String).join(",");
  return String(v);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function resolveConfig(inputs: ConfigInputs): ResolvedConfig {
  const env = inputs.env ?? {};
  const flags = inputs.flags ?? {};
  const store = inputs.store ?? {};
  const out: Record<string, unknown> = {};
  const given = new Set<SettingKey>();

  for (const [key, spec] of Object.entries(SETTINGS) as [SettingKey, SettingSpec<unknown>][]) {
    const candidates: [string, string | undefined][] = [
      [spec.flag ? spec.flag.split(" ")[0]!.replace(/^--no-/, "--") : `--${key}`, toRaw(flags[key])],
      [spec.env ?? "", spec.env ? env[spec.env] : undefined],
      [`config.json:${key}`, spec.storable ? toRaw(store[key]) : undefined],
    ];
    const found = candidates.find(([source, raw]) => source && raw !== undefined);
    if (found) given.add(key);
    if (!found) {
      out[key] = spec.default;
      continue;
    }
    const [source, raw] = found as [string, string];
    const parsed = spec.parse(raw);
    if (parsed === undefined) throw configInvalid(source, raw, spec.allowed, spec.secret);
    out[key] = parsed;
  }

  const cwd = resolvePath(inputs.processCwd, (out.cwd as string) || ".");
  if (!isDirectory(cwd)) throw configInvalid(flags.cwd !== undefined ? "--cwd" : "cwd", cwd, SETTINGS.cwd.allowed);
  out.cwd = cwd;

  const home = env.HOME || homedir();
  const roots = (out.allowedRoots as string[]).length ? (out.allowedRoots as string[]) : [home];
  out.allowedRoots = roots.map((r) => resolvePath(inputs.processCwd, r));

  out.claudeConfigDir = resolvePath(inputs.processCwd, (out.claudeConfigDir as string) || join(home, ".claude"));

  if (Boolean(out.tlsCert) !== Boolean(out.tlsKey)) {
    throw configInvalid(out.tlsCert ? "--tls-key" : "--tls-cert", "", "both --tls-cert and --tls-key, or neither");
  }
  if (out.tlsCert) {
    out.tlsCert = resolvePath(inputs.processCwd, out.tlsCert as string);
    out.tlsKey = resolvePath(inputs.processCwd, out.tlsKey as string);
    out.tls = true;
  }

  const noColor = "NO_COLOR" in env;
  const color = !noColor && Boolean(inputs.isTTY);
  return Object.freeze({
    ...(out as Settings),
    allowedTools: Object.freeze([...(out.allowedTools as string[])]) as string[],
    configDir: resolvePath(inputs.configDir),
    color,
    noColor,
    home,
    searchPath: env.PATH ?? "",
    allowedToolsGiven: given.has("allowedTools"),
  });
}
