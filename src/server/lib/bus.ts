/**
 * The cross-node bus: in-process by default, Redis pub/sub when REDIS_URL is set, so that
 * several stateless nodes behind a load balancer see each other's events (realtime fan-out).
 */
import { Redis } from 'ioredis';

export type BusHandler = (message: unknown) => void;
export type Bus = {
  kind: 'memory' | 'redis';
  publish(channel: string, message: unknown): Promise<void>;
  /** Resolves once the subscription is live; returns the unsubscribe function. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

const freezeMessages = Boolean(process.env.VITEST);

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

export function memoryBus(): Bus {
  const handlers = new Map<string, Set<BusHandler>>();
  return {
    kind: 'memory',
    async publish(channel, message) {
      // No copy (a JSON round trip per message was a measurable share of a chat message's cost):
      // messages are plain JSON data that neither the publisher nor any handler changes after
      // publishing. Under tests they are frozen, so a change anywhere fails loudly.
      if (freezeMessages) deepFreeze(message);
      for (const h of handlers.get(channel) ?? []) queueMicrotask(() => h(message));
    },
    async subscribe(channel, handler) {
      const set = handlers.get(channel) ?? new Set();
      set.add(handler);
      handlers.set(channel, set);
      return async () => {
        set.delete(handler);
      };
    },
    async ping() {},
    async close() {
      handlers.clear();
    },
  };
}

export function redisBus(url: string, prefix = 'kefu:'): Bus {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const handlers = new Map<string, Set<BusHandler>>();
  let connecting: Promise<void> | undefined;
  const connect = () =>
    (connecting ??= Promise.all([pub.connect(), sub.connect()]).then(() => {
      sub.on('message', (ch: string, raw: string) => {
        const set = handlers.get(ch.slice(prefix.length));
        if (!set) return;
        const msg = JSON.parse(raw) as unknown;
        for (const h of set) h(msg);
      });
    }));
  return {
    kind: 'redis',
    async publish(channel, message) {
      await connect();
      await pub.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      await connect();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await sub.subscribe(prefix + channel);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0) {
          handlers.delete(channel);
          await sub.unsubscribe(prefix + channel);
        }
      };
    },
    async ping() {
      await connect();
      await pub.ping();
    },
    async close() {
      handlers.clear();
      pub.disconnect();
      sub.disconnect();
    },
  };
}

export function createBus(redisUrl?: string, prefix = 'kefu:'): Bus {
  return redisUrl ? redisBus(redisUrl, prefix) : memoryBus();
}

/**
 * Test-only (`KEFU_FAULT=bus-delay:<ms>` and the two-node tests): every publish waits a random
 * 0–`maxMs` ms first, so publishes overtake each other as they can between nodes. Wraps `bus` in place.
 */
export function withPublishDelay(bus: Bus, maxMs: number, random: () => number = Math.random): Bus {
  const publish = bus.publish.bind(bus);
  bus.publish = async (channel, message) => {
    await new Promise((r) => setTimeout(r, Math.floor(random() * maxMs)));
    await publish(channel, message);
  };
  return bus;
}
