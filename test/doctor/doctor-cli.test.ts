// `claude-companion doctor` end to end: exit 1 with the daemon down, exit 0 when nothing fails, JSON valid, no secret printed.
import { afterAll, expect, test } from "vitest";
import { DoctorReportSchema } from "../../src/protocol/index.js";
import { FAKE_CLAUDE, isolatedPath, runCli, startCli } from "../helpers/cli-process.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

afterAll(cleanupTempDirs);

const SECRET = "sk-ant-doctor-secret-0123456789";

test("daemon down: exit 1 and a daemon fail; up: exit 0, every check printed, the key's value never", async () => {
  const env = {
    CLAUDE_COMPANION_CONFIG_DIR: tempDir("cc-doc-cli-"),
    CLAUDE_CLI_PATH: FAKE_CLAUDE,
    ENABLE_BONJOUR: "false",
    WARM_POOL: "0",
    NO_COLOR: "1",
    LOG_FORMAT: "json",
    ANTHROPIC_API_KEY: SECRET,
    PATH: isolatedPath(),
  };
  const down = runCli(["doctor", "--json"], env);
  expect(down.code).toBe(1);
  const downReport = DoctorReportSchema.parse(JSON.parse(down.stdout));
  expect(downReport.checks.find((c) => c.id === "daemon")).toMatchObject({ status: "fail" });

  const d = startCli(["--host", "127.0.0.1", "--port", "0"], env);
  try {
    await d.ready;
    const human = runCli(["doctor"], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/✔ Daemon: running at http:\/\/127\.0\.0\.1:\d+/);
    expect(human.stdout).toContain("⚠ Listening on: port");
    expect(human.stdout).toContain("ANTHROPIC_API_KEY");
    const json = runCli(["doctor", "--json"], env);
    const report = DoctorReportSchema.parse(JSON.parse(json.stdout));
    expect(report.ok).toBe(true);
    for (const out of [human.stdout, human.stderr, json.stdout, d.output().stdout, d.output().stderr]) expect(out).not.toContain(SECRET);
  } finally {
    await d.stop();
  }
}, 90_000);
