// Token buckets per client address: one for API requests, one for failed authentications.
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number;
  /** Seconds until `key` may act again without taking a token (0 when it may). */
  blockedFor(key: string): number;
  /** Returns one token taken by `key` (an attempt that turned out legitimate); never above the bucket size. */
  giveBack(key: string): void;
}

/**
 * `now` is a monotonic clock in ms (default performance.now). With the wall clock, a clock set back by
 * NTP or by hand made every bucket negative: 3 h back locked every address out (429) for 3 h.
 */
export function createRateLimiter(perMinute: number, now: () => number = () => performance.now(), maxKeys = 10_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;
  const refill = (key: string) => {
    const t = now();
    const b = buckets.get(key) ?? { tokens: perMinute, at: t };
    b.tokens = Math.min(perMinute, b.tokens + Math.max(0, t - b.at) * ratePerMs);
    b.at = t;
    if (!buckets.has(key)) {
      // Bound memory: forget the oldest key when too many addresses were seen.
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      buckets.set(key, b);
    }
    return b;
  };
  const wait = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
  return {
    take(key) {
      const b = refill(key);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return wait(b.tokens);
    },
    blockedFor(key) {
      const b = refill(key);
      return b.tokens >= 1 ? 0 : wait(b.tokens);
    },
    giveBack(key) {
      const b = refill(key);
      b.tokens = Math.min(perMinute, b.tokens + 1);
    },
  };
}
