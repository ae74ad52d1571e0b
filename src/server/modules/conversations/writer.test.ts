/**
 * The writer's queue bounds with a store that commits only when told: past a bound (messages per
 * node, bytes per node, messages per sender connection) `submit` refuses at once with `busy` and
 * a retry hint, stores nothing, and takes messages again once commits make room.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BusyError,
  MessageWriter,
  approxBytes,
  type CommitResult,
  type MessageStore,
  type PendingMessage,
} from './writer.ts';

/** A store whose commits wait until `release()`; it records what it was given. */
function gatedStore() {
  const batches: PendingMessage[][] = [];
  let open: () => void = () => undefined;
  let gate = new Promise<void>((r) => (open = r));
  return {
    batches,
    release() {
      open();
      gate = new Promise<void>((r) => (open = r));
    },
    store: {
      async commit(batch: PendingMessage[]): Promise<CommitResult[]> {
        batches.push(batch);
        await gate;
        return batch.map((m, i) => ({
          ok: true as const,
          id: m.id,
          seq: i + 1,
          prev: i,
          createdAt: m.createdAt,
          duplicate: false,
          reopened: false,
          eventIds: [],
        }));
      },
      async close() {},
    },
  };
}

let n = 0;
const msg = (over: Partial<PendingMessage> = {}): PendingMessage => ({
  id: `msg_${++n}`,
  workspaceId: 'ws',
  conversationId: 'cnv',
  clientId: `c${n}`,
  senderType: 'customer',
  senderId: 'cus_1',
  senderName: null,
  kind: 'text',
  body: 'hello',
  attachments: [],
  createdAt: '2026-03-02T03:00:00.000Z',
  ...over,
});
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('MessageWriter bounds', () => {
  it('refuses past the per-node message bound with a typed, retryable busy error, then accepts again', async () => {
    const g = gatedStore();
    const refused: string[] = [];
    const w = new MessageWriter(g.store, {
      maxBatch: 2,
      limits: { maxQueued: 3, maxQueuedPerKey: 100 },
      refused: (r) => refused.push(r),
    });
    const accepted = [w.submit(msg(), 'a'), w.submit(msg(), 'b'), w.submit(msg(), 'c')];
    const err = await w.submit(msg(), 'd').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusyError);
    expect(err).toMatchObject({ code: 'busy', status: 503, reason: 'node' });
    expect((err as BusyError).retryInMs).toBeGreaterThanOrEqual(20);
    expect((err as BusyError).retryInMs).toBeLessThanOrEqual(10_000);
    expect(refused).toEqual(['node']);
    expect(w.queued.messages).toBe(3);
    await tick();
    g.release(); // the first batch (2) commits
    await Promise.all(accepted.slice(0, 2));
    await tick();
    expect(w.queued.messages).toBe(1);
    const later = w.submit(msg(), 'd');
    g.release();
    await tick();
    g.release();
    await expect(Promise.all([accepted[2], later])).resolves.toHaveLength(2);
    expect(w.queued).toEqual({ messages: 0, bytes: 0 });
    // The refused message never reached the store.
    expect(g.batches.flat().length).toBe(4);
  });

  it('refuses past the byte bound, while a smaller message still fits', async () => {
    const g = gatedStore();
    const big = () => msg({ body: 'x'.repeat(5000) });
    const small = msg({ body: 'ok' });
    const w = new MessageWriter(g.store, { limits: { maxQueuedBytes: 2 * approxBytes(big()) + approxBytes(small) } });
    const ok = [w.submit(big(), 'a'), w.submit(big(), 'b')];
    await expect(w.submit(big(), 'c')).rejects.toMatchObject({ code: 'busy', reason: 'bytes' });
    ok.push(w.submit(small, 'c'));
    expect(w.queued.bytes).toBe(2 * approxBytes(big()) + approxBytes(small));
    await tick();
    g.release();
    await Promise.all(ok);
  });

  it('refuses when a new message would wait longer than maxQueueDelayMs for its commit (a slow database)', async () => {
    const slow: MessageStore = {
      async commit(batch) {
        await new Promise((r) => setTimeout(r, 60));
        return batch.map((m, i) => ({
          ok: true,
          id: m.id,
          seq: i + 1,
          prev: i,
          createdAt: m.createdAt,
          duplicate: false,
          reopened: false,
          eventIds: [],
        }));
      },
      async close() {},
    };
    const w = new MessageWriter(slow, { maxBatch: 2, limits: { maxQueueDelayMs: 130, maxQueuedPerKey: 1000 } });
    // Commits of ≥ 60 ms teach the writer how long a batch takes.
    for (let i = 0; i < 8; i++) await w.submit(msg(), 'a');
    // Queue until the writer says a new message would wait too long: a few batches (never a
    // single message: the pace applies once a full batch waits), far below the count bound.
    const queued: Promise<unknown>[] = [];
    while (queued.length < 50 && !w.wouldRefuse(msg(), 'a')) queued.push(w.submit(msg(), 'a'));
    expect(queued.length).toBeGreaterThanOrEqual(2);
    expect(queued.length).toBeLessThan(10);
    const err = await w.submit(msg(), 'a').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'busy', reason: 'delay' });
    expect((err as BusyError).retryInMs).toBeGreaterThan(60);
    await Promise.all(queued);
    await expect(w.submit(msg(), 'a')).resolves.toMatchObject({ ok: true });
  });

  it('refuses when the oldest queued message has waited longer than maxQueueDelayMs (the pace just dropped)', async () => {
    const g = gatedStore();
    const w = new MessageWriter(g.store, { limits: { maxQueueDelayMs: 100 } });
    const first = w.submit(msg(), 'a'); // committing (held by the gate)
    await tick();
    const second = w.submit(msg(), 'b'); // queued behind it, still young: accepted
    await new Promise((r) => setTimeout(r, 130));
    await expect(w.submit(msg(), 'd')).rejects.toMatchObject({ code: 'busy', reason: 'delay' });
    g.release();
    await first;
    await tick();
    g.release();
    await second;
  });

  it('bounds one sender connection without holding up the others', async () => {
    const g = gatedStore();
    const w = new MessageWriter(g.store, { limits: { maxQueuedPerKey: 2 } });
    const mine = [w.submit(msg(), 'conn-1'), w.submit(msg(), 'conn-1')];
    await expect(w.submit(msg(), 'conn-1')).rejects.toMatchObject({ code: 'busy', reason: 'sender' });
    const other = w.submit(msg(), 'conn-2');
    await tick();
    g.release();
    await Promise.all([...mine, other]);
    // Room again for that connection once its messages are committed.
    const again = w.submit(msg(), 'conn-1');
    await tick();
    g.release();
    await expect(again).resolves.toMatchObject({ ok: true });
  });

  it('keys by the sender when no connection is named', async () => {
    const g = gatedStore();
    const w = new MessageWriter(g.store, { limits: { maxQueuedPerKey: 1 } });
    const first = w.submit(msg({ senderId: 'cus_1' }));
    await expect(w.submit(msg({ senderId: 'cus_1' }))).rejects.toBeInstanceOf(BusyError);
    const other = w.submit(msg({ senderId: 'cus_2' }));
    await tick();
    g.release();
    await Promise.all([first, other]);
  });

  it('frees the queue when a commit fails, and every sender of the batch gets the error', async () => {
    const w = new MessageWriter(
      {
        commit: () => Promise.reject(new Error('disk full')),
        close: async () => undefined,
      },
      { limits: { maxQueued: 2 } },
    );
    const r = await Promise.allSettled([w.submit(msg()), w.submit(msg({ senderId: 'x' }))]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(w.queued).toEqual({ messages: 0, bytes: 0 });
  });
});

describe('MessageWriter pacing', () => {
  afterEach(() => vi.useRealTimers());
  /** A store that commits at once and records batch sizes. */
  const quickStore = (sizes: number[]): MessageStore => ({
    async commit(batch) {
      sizes.push(batch.length);
      return batch.map((m, i) => ({
        ok: true as const,
        id: m.id,
        seq: i + 1,
        prev: i,
        createdAt: m.createdAt,
        duplicate: false,
        reopened: false,
        eventIds: [],
      }));
    },
    async close() {},
  });
  /** One message every 3 ms (fake time) for `count` messages; resolves when all are committed. */
  const trickle = async (w: MessageWriter, count: number) => {
    const acks: Promise<CommitResult>[] = [];
    for (let i = 0; i < count; i++) {
      acks.push(w.submit(msg({ senderId: `cus_${i}` })));
      await vi.advanceTimersByTimeAsync(3);
    }
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(acks);
  };

  it('with paceMs, messages arriving soon after a commit wait for one larger batch; without, each commits at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const paced: number[] = [];
    await trickle(new MessageWriter(quickStore(paced), { paceMs: 30 }), 30);
    const eager: number[] = [];
    await trickle(new MessageWriter(quickStore(eager), {}), 30);
    expect(eager).toEqual(Array(30).fill(1));
    expect(paced.reduce((a, b) => a + b, 0)).toBe(30);
    // One commit per 30 ms: the first message alone, then about ten at a time.
    expect(paced.length).toBeLessThanOrEqual(5);
    expect(Math.max(...paced)).toBeGreaterThanOrEqual(9);
  });

  it('never waits while a full batch is queued', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const sizes: number[] = [];
    const w = new MessageWriter(quickStore(sizes), { paceMs: 10_000, maxBatch: 5 });
    const all = Promise.all(Array.from({ length: 20 }, (_, i) => w.submit(msg({ senderId: `cus_${i}` }))));
    await vi.advanceTimersByTimeAsync(1);
    await all;
    expect(sizes).toEqual([5, 5, 5, 5]);
  });
});
