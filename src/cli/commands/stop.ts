// `stop`: ask the running daemon to shut down (SIGTERM), wait up to 10 s, then kill it.
import { setTimeout as delay } from "node:timers/promises";
import { isProcessAlive, removeStateFile } from "../../daemon/index.js";
import { cliContext } from "../common.js";

export async function stopCommand(flags: { configDir?: string }): Promise<void> {
  const { store, running } = await cliContext(flags);
  if (!running) {
    removeStateFile(store.dir);
    process.stdout.write("claude-companion is not running.\n");
    return;
  }
  const { pid } = running.state;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  // Polling a pid is the only portable way to wait for a process that is not our child.
  while (isProcessAlive(pid) && Date.now() < deadline) await delay(50);
  if (isProcessAlive(pid)) {
    process.kill(pid, "SIGKILL");
    removeStateFile(store.dir, pid);
    process.stdout.write(`claude-companion (pid ${pid}) did not stop within 10 s and was killed.\n`);
    return;
  }
  process.stdout.write(`claude-companion (pid ${pid}) stopped.\n`);
}
