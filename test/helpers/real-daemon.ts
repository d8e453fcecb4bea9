// useRealCliDaemon(): the fake Messages API and the test daemons that drive the REAL Claude Code CLI against it (test/real/).
import { afterAll, beforeAll } from "vitest";
import { useTestDaemon, type TestDaemon, type TestDaemonOverrides, type UsedTestDaemon, type UseTestDaemonOptions } from "./daemon.js";
import { REAL_CLAUDE, realClaudeEnv, startFakeAnthropicApi, type FakeAnthropicApi } from "./fake-api.js";
import type { FakeAnthropicApiOptions } from "../fixtures/fake-anthropic-api.js";
import { tempDir } from "./tmp.js";

export interface RealCliDaemon extends UsedTestDaemon {
  /** The fake Messages API every real CLI child of the file talks to. */
  readonly api: FakeAnthropicApi;
  /** The real CLI children's environment (offline, against `api`, their own CLAUDE_CONFIG_DIR). */
  readonly claudeEnv: Record<string, string | undefined>;
}

export interface RealCliDaemonSettings {
  /** Options of the fake Messages API. */
  api?: FakeAnthropicApiOptions;
  /** Claude's config dir for the children (default: a fresh temp dir), made in the file's beforeAll. */
  claudeConfigDir?: () => string;
  /** Timeout of the file's set-up hooks (the real CLI is slow to start under load). */
  timeoutMs?: number;
}

type Options = UseTestDaemonOptions | ((real: { api: FakeAnthropicApi; claudeEnv: Record<string, string | undefined> }) => UseTestDaemonOptions | Promise<UseTestDaemonOptions>);

/** The real CLI, failing fast (no retries of the API), under what the file or the test sets. */
const onRealCli = (o: UseTestDaemonOptions): UseTestDaemonOptions => ({ ...o, env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_MAX_RETRIES: "0", ...o.env } });

/**
 * useTestDaemon() on the real CLI: the fake Messages API is started before the file's daemon and closed after
 * it. `options` (or the function, called in beforeAll with the API) are useTestDaemon's; `lazy: true` starts
 * none, and each test's `start()` gets the real CLI too.
 */
export function useRealCliDaemon(options: Options = {}, settings: RealCliDaemonSettings = {}): RealCliDaemon {
  let api: FakeAnthropicApi | undefined;
  let claudeEnv: Record<string, string | undefined> | undefined;
  beforeAll(async () => {
    api = await startFakeAnthropicApi(settings.api);
    claudeEnv = realClaudeEnv(api, settings.claudeConfigDir?.() ?? tempDir("cc-real-cfg-"));
  }, settings.timeoutMs);
  afterAll(() => api?.close());
  const real = () => {
    if (!api || !claudeEnv) throw new Error("the fake Messages API is not started yet (beforeAll)");
    return { api, claudeEnv };
  };
  const lazy = typeof options !== "function" && Boolean(options.lazy);
  const d = useTestDaemon(
    lazy
      ? onRealCli(options as UseTestDaemonOptions)
      : async () => {
          const o = onRealCli(typeof options === "function" ? await options(real()) : options);
          return { ...o, childEnv: o.childEnv ?? real().claudeEnv };
        },
    settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs },
  );
  const fileChildEnv = typeof options === "function" ? undefined : options.childEnv;
  const start = d.start.bind(d);
  return Object.defineProperties(d, {
    api: { get: () => real().api },
    claudeEnv: { get: () => real().claudeEnv },
    start: { value: (more: TestDaemonOverrides = {}): Promise<TestDaemon> => start({ ...more, childEnv: more.childEnv ?? fileChildEnv ?? real().claudeEnv }) },
  }) as RealCliDaemon;
}
