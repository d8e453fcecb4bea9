// Types of turn.mjs for the TypeScript tests.
import type WebSocket from "ws";
export function turnOf(ws: WebSocket, requestId: string, timeoutMs?: number): Promise<{ sessionId: string; firstDataAt: number; completeAt: number }>;
