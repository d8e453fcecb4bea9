// A daemon in its own process for the benchmarks, started with the programmatic API so limits can be raised.
// argv[2]: JSON { env, limits, childEnv, workDir, configDir }. Prints one line `READY {url, token, pid}`; SIGTERM closes it.
import { createWriteStream } from "node:fs";
import { startDaemon, resolveConfig, createLogger } from "../../dist/index.js";

const opts = JSON.parse(process.argv[2] ?? "{}");
const config = resolveConfig({
  flags: { host: "127.0.0.1", port: "0", cwd: opts.workDir, allowedRoots: [opts.workDir] },
  env: { ENABLE_BONJOUR: "false", WARM_POOL: "0", ...opts.env },
  configDir: opts.configDir,
  processCwd: process.cwd(),
});
// JSON logs at the production level (info), into /dev/null unless asked: what a daemon pays for logging.
const logger = createLogger({ format: "json", level: opts.logLevel ?? "info", destination: createWriteStream(opts.logFile ?? "/dev/null") });
const daemon = await startDaemon({
  config,
  logger,
  writeState: false,
  childEnv: opts.childEnv ?? process.env,
  ...(opts.limits ? { limits: opts.limits } : {}),
});
process.stdout.write(`READY ${JSON.stringify({ url: daemon.url, token: daemon.masterToken(), pid: process.pid })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 3000).unref();
  daemon.close().then(() => process.exit(0), () => process.exit(1));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("disconnect", stop);
