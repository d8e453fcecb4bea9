// Delivery with retries: one ordered queue per target, backoff between attempts, "failing" once retries are spent.
import type { Logger } from "pino";

export interface Failing {
  id: string;
  type: string;
  error: string;
  since: number;
}

export interface Delivery {
  /** Queues `attempt` for the target `id` (attempts of one target run in order); retried on throw. */
  send(id: string, type: string, attempt: () => Promise<void>): void;
  /** Targets whose last delivery failed after all retries. */
  failing(): Failing[];
  failingReason(id: string): string | null;
  forget(id: string): void;
  /** Resolves when every queued delivery finished (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

/** Default waits between attempts: 2 s, 10 s, 30 s (four attempts in all). */
export const DEFAULT_RETRY_DELAYS_MS = [2000, 10_000, 30_000];

export function createDelivery(options: { logger: Logger; retryDelaysMs?: readonly number[]; now?: () => number }): Delivery {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const now = options.now ?? Date.now;
  const queues = new Map<string, Promise<void>>();
  const failing = new Map<string, Failing>();
  let closed = false;
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

  const run = async (id: string, type: string, attempt: () => Promise<void>) => {
    for (let i = 0; ; i++) {
      if (closed) return;
      try {
        await attempt();
        if (failing.delete(id)) options.logger.info({ channelId: id }, "notification channel works again");
        return;
      } catch (e) {
        const reason = (e as Error).message;
        if (i >= delays.length) {
          if (!failing.has(id)) options.logger.warn({ channelId: id, type, reason }, "notification channel failing");
          failing.set(id, { id, type, error: reason, since: failing.get(id)?.since ?? now() });
          return;
        }
        options.logger.debug({ channelId: id, attempt: i + 1, reason }, "notification failed; retrying");
        await wait(delays[i]!);
      }
    }
  };

  return {
    send(id, type, attempt) {
      const next = (queues.get(id) ?? Promise.resolve()).then(() => run(id, type, attempt));
      queues.set(id, next);
      void next.finally(() => {
        if (queues.get(id) === next) queues.delete(id);
      });
    },
    failing: () => [...failing.values()],
    failingReason: (id) => failing.get(id)?.error ?? null,
    forget: (id) => void failing.delete(id),
    async idle() {
      while (queues.size) await Promise.all([...queues.values()]);
    },
    close() {
      closed = true;
    },
  };
}
