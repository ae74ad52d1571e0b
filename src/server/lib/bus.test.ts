import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { redisUrl } from '../testing/harness.ts';
import { createBus, memoryBus, redisBus, type Bus } from './bus.ts';

if (!redisUrl)
  console.warn('[kefu tests] KEFU_TEST_REDIS_URL is not set: the Redis bus runs are skipped. Set it to run them.');

/** Collects what a handler receives; `next(n)` waits until n messages arrived (or fails after 2 s). */
function inbox() {
  const got: unknown[] = [];
  return {
    got,
    handler: (m: unknown) => void got.push(m),
    async next(n: number) {
      for (let waited = 0; got.length < n; waited += 5) {
        if (waited > 2000) throw new Error(`expected ${n} message(s), got ${got.length}`);
        await sleep(5);
      }
      return got;
    },
  };
}
/** Gives any message in flight time to arrive, so that "nothing arrived" means something. */
const settle = () => sleep(50);
const channel = () => `test.${randomBytes(6).toString('hex')}`;

describe('memory bus', () => {
  it('delivers to every subscriber of the channel, and only that channel', async () => {
    const bus = memoryBus();
    const [a, b, other] = [inbox(), inbox(), inbox()];
    await bus.subscribe('ws.1', a.handler);
    await bus.subscribe('ws.1', b.handler);
    await bus.subscribe('ws.2', other.handler);
    await bus.publish('ws.1', { kind: 'message.created', id: 'm1' });
    expect(await a.next(1)).toEqual([{ kind: 'message.created', id: 'm1' }]);
    expect(await b.next(1)).toEqual([{ kind: 'message.created', id: 'm1' }]);
    await settle();
    expect(other.got).toEqual([]);
    expect(bus.kind).toBe('memory');
    await bus.ping();
  });

  it('delivers the publisher’s object without a copy, frozen under tests so that nobody changes it', async () => {
    const bus = memoryBus();
    const a = inbox();
    await bus.subscribe('c', a.handler);
    const sent = { items: [1, 2], nested: { deep: true } };
    await bus.publish('c', sent);
    expect(() => sent.items.push(3)).toThrow(TypeError);
    expect(() => {
      sent.nested.deep = false;
    }).toThrow(TypeError);
    const [got] = await a.next(1);
    expect(got).toBe(sent);
    expect(got).toEqual({ items: [1, 2], nested: { deep: true } });
  });

  it('stops delivering after unsubscribe, without affecting other subscribers', async () => {
    const bus = memoryBus();
    const [a, b] = [inbox(), inbox()];
    const offA = await bus.subscribe('c', a.handler);
    await bus.subscribe('c', b.handler);
    await bus.publish('c', 1);
    await a.next(1);
    await offA();
    await bus.publish('c', 2);
    expect(await b.next(2)).toEqual([1, 2]);
    await settle();
    expect(a.got).toEqual([1]);
  });

  it('delivers nothing after close', async () => {
    const bus = memoryBus();
    const a = inbox();
    await bus.subscribe('c', a.handler);
    await bus.close();
    await bus.publish('c', 1);
    await settle();
    expect(a.got).toEqual([]);
  });

  it('is what createBus gives without a Redis URL', () => {
    expect(createBus().kind).toBe('memory');
    const r = createBus('redis://127.0.0.1:1'); // lazy: never connects
    expect(r.kind).toBe('redis');
    return r.close();
  });
});

describe.runIf(redisUrl)('redis bus', () => {
  const buses: Bus[] = [];
  afterEach(async () => {
    while (buses.length) await buses.pop()!.close();
  });
  /** A bus as one node would have it. */
  const node = () => {
    const b = redisBus(redisUrl!);
    buses.push(b);
    return b;
  };

  it('answers ping', async () => {
    const bus = node();
    expect(bus.kind).toBe('redis');
    await expect(bus.ping()).resolves.toBeUndefined();
  });

  it('carries a message published on one node to the subscribers of another, and back', async () => {
    const [n1, n2] = [node(), node()];
    const ch = channel();
    const [on1, on2] = [inbox(), inbox()];
    await n1.subscribe(ch, on1.handler);
    await n2.subscribe(ch, on2.handler);
    await n1.publish(ch, { kind: 'conversation.updated', id: 'c1', tags: ['vip'] });
    expect(await on2.next(1)).toEqual([{ kind: 'conversation.updated', id: 'c1', tags: ['vip'] }]);
    expect(await on1.next(1)).toEqual([{ kind: 'conversation.updated', id: 'c1', tags: ['vip'] }]);
    await n2.publish(ch, 'reply');
    expect(await on1.next(2)).toEqual([{ kind: 'conversation.updated', id: 'c1', tags: ['vip'] }, 'reply']);
  });

  it('keeps channels apart', async () => {
    const [n1, n2] = [node(), node()];
    const [ch, other] = [channel(), channel()];
    const [a, b] = [inbox(), inbox()];
    await n2.subscribe(ch, a.handler);
    await n2.subscribe(other, b.handler);
    await n1.publish(other, 'for b');
    await n1.publish(ch, 'for a');
    expect(await a.next(1)).toEqual(['for a']);
    expect(await b.next(1)).toEqual(['for b']);
  });

  it('stops delivering after unsubscribe, and keeps the other handlers of the channel', async () => {
    const [n1, n2] = [node(), node()];
    const ch = channel();
    const [a, b] = [inbox(), inbox()];
    const offA = await n2.subscribe(ch, a.handler);
    const offB = await n2.subscribe(ch, b.handler);
    await n1.publish(ch, 1);
    await a.next(1);
    await b.next(1);
    await offA();
    await n1.publish(ch, 2);
    expect(await b.next(2)).toEqual([1, 2]);
    await offB();
    await n1.publish(ch, 3);
    await settle();
    expect(a.got).toEqual([1]);
    expect(b.got).toEqual([1, 2]);
    // Subscribing again after the channel was dropped works.
    const c = inbox();
    await n2.subscribe(ch, c.handler);
    await n1.publish(ch, 4);
    expect(await c.next(1)).toEqual([4]);
  });

  it('does not mix up two installations sharing one Redis (different prefixes)', async () => {
    const ch = channel();
    const a = redisBus(redisUrl!, 'kefu-a:');
    const b = redisBus(redisUrl!, 'kefu-b:');
    buses.push(a, b);
    const got = inbox();
    await b.subscribe(ch, got.handler);
    await a.publish(ch, 'not for b');
    await settle();
    expect(got.got).toEqual([]);
  });
});
