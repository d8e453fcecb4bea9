// The one serialised writer to a Claude child's stdin: whole JSON lines only, with backpressure.
import type { Writable } from "node:stream";

export interface StdinWriter {
  /** Queues one object as `JSON.stringify(obj) + "\n"`; false when stdin is already closed. */
  write(obj: unknown): boolean;
  /** Ends stdin once every queued line is written. Idempotent. */
  end(): void;
  /** False after end() or a stream error. */
  readonly writable: boolean;
  /** Lines waiting for 'drain'. */
  readonly queued: number;
}

/**
 * Wraps a stdin stream. A line is serialised before anything is written, so a failing
 * JSON.stringify never leaves half a line behind: one malformed line kills the CLI (exit 1).
 */
export function createStdinWriter(stream: Writable, onError: (error: Error) => void): StdinWriter {
  const queue: string[] = [];
  let head = 0;
  let waitingDrain = false;
  let ending = false;
  let closed = false;

  function flush(): void {
    while (head < queue.length && !waitingDrain && !closed) {
      const line = queue[head] as string;
      queue[head++] = "";
      if (!stream.write(line)) waitingDrain = true;
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
      if (ending && !closed) {
        closed = true;
        stream.end();
      }
    }
  }

  stream.on("drain", () => {
    waitingDrain = false;
    flush();
  });
  stream.on("error", (error: Error) => {
    closed = true;
    queue.length = 0;
    head = 0;
    onError(error);
  });
  stream.on("close", () => {
    closed = true;
  });

  return {
    write(obj: unknown): boolean {
      if (closed || ending) return false;
      queue.push(`${JSON.stringify(obj)}\n`);
      flush();
      return true;
    },
    end(): void {
      if (ending || closed) return;
      ending = true;
      flush();
    },
    get writable() {
      return !closed && !ending;
    },
    get queued() {
      return queue.length - head;
    },
  };
}
