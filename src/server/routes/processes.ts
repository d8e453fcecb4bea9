// A session's background processes over REST: list them, stop one (only a process of that session's own tree).
import type { Polka } from "polka";
import { ProcessPidSchema, SessionIdSchema } from "../../protocol/index.js";
import { PROCESS_TREE_TRACKED, type SessionManager } from "../../sessions/index.js";
import { sendJson } from "../http-utils.js";
import { parseInput } from "../validate.js";

export function registerProcessRoutes(app: Polka, deps: { sessions: SessionManager }): void {
  const { sessions } = deps;

  app.get("/api/sessions/:id/processes", (req, res) => {
    const id = parseInput(SessionIdSchema, req.params.id, "params");
    const session = sessions.get(id);
    sendJson(res, 200, { sessionId: id, processes: session.backgroundProcesses(), tracked: PROCESS_TREE_TRACKED });
  });

  app.delete("/api/sessions/:id/processes/:pid", async (req, res) => {
    const id = parseInput(SessionIdSchema, req.params.id, "params");
    const pid = parseInput(ProcessPidSchema, req.params.pid, "params");
    const report = await sessions.get(id).stopBackgroundProcess(pid);
    sendJson(res, 200, { stopped: true, sessionId: id, pid, ...report });
  });
}
