// startTestDaemon(overrides): a real in-process daemon on 127.0.0.1 port 0 with a temp config dir.
import { Writable } from "node:stream";
import { resolve } from "node:path";
import { resolveConfig, type RawValue, type SettingKey } from "../../src/config/index.js";
import { startDaemon, type Daemon, type StartDaemonOptions } from "../../src/daemon/index.js";
import { createLogger } from "../../src/log.js";
import { tempDir } from "./tmp.js";

export const FAKE_CLAUDE = resolve(import.meta.dirname, "../fixtures/fake-claude.mjs");

export interface TestDaemon {
  daemon: Daemon;
  url: string;
  wsUrl: string;
  token: string;
  configDir: string;
  /** Default working directory of sessions (also the only allowed root unless overridden). */
  workDir: string;
  /** Every log line the daemon wrote (JSON). */
  logs: string[];
  close(): Promise<void>;
}

export async function startTestDaemon(
  overrides: {
    env?: Record<string, string>;
    flags?: Partial<Record<SettingKey, RawValue>>;
    configDir?: string;
    workDir?: string;
    /** Environment of the Claude children (default: this process's plus a private fake-claude state dir). */
    childEnv?: Record<string, string | undefined>;
    limits?: StartDaemonOptions["limits"];
    eventLogLimits?: StartDaemonOptions["eventLogLimits"];
    notify?: StartDaemonOptions["notify"];
  } = {},
): Promise<TestDaemon> {
  const configDir = overrides.configDir ?? tempDir("cc-daemon-");
  const workDir = overrides.workDir ?? tempDir("cc-work-");
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      logs.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  const config = resolveConfig({
    flags: { host: "127.0.0.1", port: "0", cwd: workDir, allowedRoots: [workDir], ...overrides.flags },
    env: { HOME: tempDir("cc-home-"), CLAUDE_CLI_PATH: FAKE_CLAUDE, ENABLE_BONJOUR: "false", WARM_POOL: "0", ...overrides.env },
    configDir,
    processCwd: process.cwd(),
  });
  const logger = createLogger({ format: "json", level: "debug", destination: sink });
  const daemon = await startDaemon({
    config,
    logger,
    childEnv: overrides.childEnv ?? { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-fake-state-") },
    ...(overrides.limits ? { limits: overrides.limits } : {}),
    ...(overrides.eventLogLimits ? { eventLogLimits: overrides.eventLogLimits } : {}),
    ...(overrides.notify ? { notify: overrides.notify } : {}),
  });
  return {
    daemon,
    url: daemon.url,
    wsUrl: daemon.url.replace(/^http/, "ws") + "/ws",
    token: daemon.masterToken(),
    configDir,
    workDir,
    logs,
    close: () => daemon.close(),
  };
}
