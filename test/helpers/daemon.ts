// startTestDaemon(overrides): a real in-process daemon on 127.0.0.1 port 0 with a temp config dir, with REST and WS calls
// under its master token; useTestDaemon() its set-up and tear-down.
import { Writable } from "node:stream";
import { resolve } from "node:path";
import { resolveConfig, type RawValue, type SettingKey } from "../../src/config/index.js";
import { startDaemon, type Daemon, type StartDaemonOptions } from "../../src/daemon/index.js";
import { createLogger } from "../../src/log.js";
import { afterAll, afterEach, beforeAll } from "vitest";
import { cleanupTempDirs, tempDir } from "./tmp.js";
import { connectWs, type TestWsClient } from "./ws-client.js";

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
  /** A REST call with the master token (or `options.token`); a JSON body is sent and read back (null when empty). */
  rest(method: string, path: string, body?: unknown, options?: RestOptions): Promise<RestReply>;
  /** A WS client with the master token, its welcome frame already taken. */
  open(): Promise<TestWsClient>;
  close(): Promise<void>;
}

export interface RestOptions {
  /** Bearer token instead of the master token; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface RestReply {
  status: number;
  headers: Headers;
  // The tests read the parsed body as the wire has it; the schemas are checked where a test means to.
  body: any;
}

export interface TestDaemonOverrides {
  env?: Record<string, string>;
  flags?: Partial<Record<SettingKey, RawValue>>;
  configDir?: string;
  workDir?: string;
  /** Environment of the Claude children (default: this process's plus a private fake-claude state dir). */
  childEnv?: Record<string, string | undefined>;
  limits?: StartDaemonOptions["limits"];
  eventLogLimits?: StartDaemonOptions["eventLogLimits"];
  notify?: StartDaemonOptions["notify"];
}

export async function startTestDaemon(overrides: TestDaemonOverrides = {}): Promise<TestDaemon> {
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
  const t: TestDaemon = {
    daemon,
    url: daemon.url,
    wsUrl: daemon.url.replace(/^http/, "ws") + "/ws",
    token: daemon.masterToken(),
    configDir,
    workDir,
    logs,
    async rest(method, path, body, options = {}) {
      const res = await fetch(t.url + path, {
        method,
        headers: {
          ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? t.token}` }),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
    async open() {
      const c = await connectWs(t.wsUrl, { headers: { authorization: `Bearer ${t.token}` } });
      await c.next("welcome");
      return c;
    },
    close: () => daemon.close(),
  };
  return t;
}

/** The daemon a test file uses: its fields are those of the daemon started last (the file's, or this test's). */
export interface UsedTestDaemon extends TestDaemon {
  /** Starts a daemon for the current test only (closed after it, whatever happens), over the file's overrides. */
  start(overrides?: TestDaemonOverrides): Promise<TestDaemon>;
}

export type UseTestDaemonOptions = TestDaemonOverrides & { lazy?: boolean; setup?: (d: TestDaemon) => void | Promise<void> };

/**
 * The one set-up and tear-down of a test file's daemons. By default one daemon is started before the
 * file's tests (then `setup` runs on it) and closed after them; with `lazy: true` none is, and each test
 * starts its own with `start()`. Every daemon started with `start()` is closed after its test; temp dirs
 * are removed after the file.
 * `options` may be a function: it is called in the file's beforeAll, after the hooks registered before this
 * call (e.g. a fake API whose URL the daemon's environment needs).
 */
export function useTestDaemon(
  options: UseTestDaemonOptions | (() => UseTestDaemonOptions | Promise<UseTestDaemonOptions>) = {},
  hooks: { timeoutMs?: number } = {},
): UsedTestDaemon {
  const overridesOf = ({ lazy: _lazy, setup: _setup, ...rest }: UseTestDaemonOptions): TestDaemonOverrides => rest;
  const lazy = typeof options === "function" ? false : Boolean(options.lazy);
  let overrides = typeof options === "function" ? {} : overridesOf(options);
  let shared: TestDaemon | undefined;
  let current: TestDaemon | undefined;
  const perTest: TestDaemon[] = [];
  if (!lazy) {
    beforeAll(async () => {
      const resolved = typeof options === "function" ? await options() : options;
      overrides = overridesOf(resolved);
      shared = current = await startTestDaemon(overrides);
      await resolved.setup?.(shared);
    }, hooks.timeoutMs);
  }
  afterEach(async () => {
    await Promise.all(perTest.splice(0).map((t) => t.close()));
    current = shared;
  });
  afterAll(async () => {
    await shared?.close();
    cleanupTempDirs();
  }, hooks.timeoutMs);
  const now = (): TestDaemon => {
    if (!current) throw new Error(lazy ? "no test daemon: call start() first" : "the test daemon is not started yet (beforeAll)");
    return current;
  };
  return {
    get daemon() {
      return now().daemon;
    },
    get url() {
      return now().url;
    },
    get wsUrl() {
      return now().wsUrl;
    },
    get token() {
      return now().token;
    },
    set token(value: string) {
      now().token = value;
    },
    get configDir() {
      return now().configDir;
    },
    get workDir() {
      return now().workDir;
    },
    get logs() {
      return now().logs;
    },
    rest: (...args) => now().rest(...args),
    open: () => now().open(),
    close: () => now().close(),
    async start(more = {}) {
      const t = await startTestDaemon({ ...overrides, ...more, env: { ...overrides.env, ...more.env } });
      perTest.push(t);
      current = t;
      return t;
    },
  };
}
