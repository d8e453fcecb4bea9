// The frames of one turn on a daemon WebSocket, seen by a single listener (a turn's frames can arrive in one tick).
import { waitingFor } from "./waits.mjs";

/**
 * Resolves once the turn `requestId` started on `ws` is complete: { sessionId, firstDataAt, completeAt }. One listener for
 * the whole turn, added before the prompt is sent: a loaded daemon writes the first streamData and the streamComplete in
 * one TCP read, which ws emits in one tick, so a listener added after the first would never see the second (this is
 * what hung the full run's session row for 17 minutes).
 */
export function turnOf(ws, requestId, timeoutMs = 60_000) {
  let sessionId;
  let firstDataAt;
  return waitingFor(`the turn of ${requestId} (streamData, then streamComplete)`, new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off("message", onMessage);
      reject(new Error(`no ${firstDataAt === undefined ? "streamData" : "streamComplete"} within ${timeoutMs} ms (session ${sessionId ?? "not created"})`));
    }, timeoutMs);
    const onMessage = (d) => {
      const at = performance.now();
      const text = String(d);
      if (!sessionId && text.includes(requestId)) sessionId = JSON.parse(text).sessionId;
      if (text.includes('"type":"sessionError"')) console.error(`  session error: ${text.slice(0, 300)}`);
      if (firstDataAt === undefined && text.includes('"type":"streamData"')) firstDataAt = at;
      if (sessionId && text.includes('"type":"streamComplete"') && text.includes(sessionId)) {
        clearTimeout(timer);
        ws.off("message", onMessage);
        if (firstDataAt === undefined) reject(new Error(`session ${sessionId}: streamComplete without a streamData`));
        else resolve({ sessionId, firstDataAt, completeAt: at });
      }
    };
    ws.on("message", onMessage);
  }));
}
