/**
 * Counting limits that one request checks against several keys at once (per visitor, per IP, per
 * workspace), which @fastify/rate-limit cannot: it runs one limit per request. Fixed one-window
 * counters, in memory on one node and in Redis (shared by every node) when REDIS_URL is set.
 */
import { Redis } from 'ioredis';
import { AppError } from './errors.ts';

export type Limit = { key: string; max: number; windowMs: number };
export type Limiter = {
  /** Counts one hit on every key; the first limit already exceeded, with the ms until its window ends. */
  hit(limits: readonly Limit[]): Promise<{ exceeded: Limit; retryInMs: number } | null>;
  close(): Promise<void>;
};

export function memoryLimiter(now: () => number = Date.now): Limiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    async hit(limits) {
      const t = now();
      if (windows.size > 50_000) for (const [k, w] of windows) if (w.endsAt <= t) windows.delete(k);
      let over: { exceeded: Limit; retryInMs: number } | null = null;
      for (const l of limits) {
        let w = windows.get(l.key);
        if (!w || w.endsAt <= t) windows.set(l.key, (w = { count: 0, endsAt: t + l.windowMs }));
        w.count++;
        if (w.count > l.max && !over) over = { exceeded: l, retryInMs: w.endsAt - t };
      }
      return over;
    },
    async close() {
      windows.clear();
    },
  };
}

export function redisLimiter(url: string, prefix = 'kefu:limit:'): Limiter {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  let connecting: Promise<void> | undefined;
  return {
    async hit(limits) {
      await (connecting ??= redis.connect());
      const t = Date.now();
      const m = redis.multi();
      const keys = limits.map((l) => `${prefix}${l.key}:${Math.floor(t / l.windowMs)}`);
      limits.forEach((l, i) => m.incr(keys[i]).pexpire(keys[i], l.windowMs));
      const replies = (await m.exec()) ?? [];
      for (const [i, l] of limits.entries()) {
        const count = Number(replies[i * 2]?.[1] ?? 0);
        if (count > l.max) return { exceeded: l, retryInMs: l.windowMs - (t % l.windowMs) };
      }
      return null;
    },
    async close() {
      if (connecting) await redis.quit().catch(() => undefined);
      else redis.disconnect();
    },
  };
}

export const createLimiter = (redisUrl?: string, prefix = 'kefu:'): Limiter =>
  redisUrl ? redisLimiter(redisUrl, `${prefix}limit:`) : memoryLimiter();

/** Counts a hit on each limit and throws 429 `rate_limited` (the usual answer) when one is exceeded. */
export async function enforceLimits(limiter: Limiter, limits: readonly Limit[]): Promise<void> {
  const over = await limiter.hit(limits);
  if (over)
    throw new AppError(429, 'rate_limited', `too many requests; retry in ${Math.ceil(over.retryInMs / 1000)} s`);
}
