/**
 * The outbox on both engines: events are written with their change or not at all, each listener
 * runs once per event however often it is delivered, one aggregate's events are delivered in
 * order even by two dispatchers at once, a failing listener is retried later, delivered rows are
 * pruned.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { publish, unitOfWork } from '../../context.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { createLogger } from '../logger.ts';
import { memoryBus } from '../bus.ts';
import { Events } from './dispatcher.ts';
import { defineEvents, type DomainEvent } from './types.ts';

// A test-only event (declared on the test's Events instances, not by a module, so untyped here).
const probeEvents = defineEvents({ 'probe.happened': z.object({ n: z.number().int() }) });
const probe = 'probe.happened' as never;

describe.each(engines)('outbox on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  /** An Events dispatcher on the test app's database, with a recording listener. */
  function dispatcher(name: string, seen: { by: string; n: number; id: string }[], fail?: (n: number) => boolean) {
    const ev = new Events({ db: t.s.db, bus: memoryBus(), clock: t.s.clock, log: createLogger('silent') });
    ev.declare(probeEvents);
    ev.listen({
      name: 'probe.recorder',
      on: [probe],
      handle: async (e: DomainEvent) => {
        const n = (e.data as { n: number }).n;
        if (fail?.(n)) throw new Error(`listener failed on ${n}`);
        seen.push({ by: name, n, id: e.id });
      },
    });
    return ev;
  }
  const write = (ev: Events, n: number, object = 'obj_1') =>
    unitOfWork({ ...t.s, events: ev }, (s) => publish(s, probe, 'ws_test', 'probe', object, { n } as never));
  const rows = () => allTables(t.s).selectFrom('outbox').selectAll().where('type', '=', 'probe.happened').execute();

  it('writes an event with its change or not at all', async () => {
    t = await testApp(engine);
    const seen: { by: string; n: number; id: string }[] = [];
    const ev = dispatcher('a', seen);
    await expect(
      unitOfWork({ ...t.s, events: ev }, async (s) => {
        await publish(s, probe, 'ws_test', 'probe', 'obj_1', { n: 1 } as never);
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(await rows()).toEqual([]);
    await write(ev, 2);
    expect(seen.map((x) => x.n)).toEqual([2]);
    expect((await rows()).every((r) => r.delivered_at)).toBe(true);
  });

  it('refuses an undeclared event or a payload that does not match its schema', async () => {
    t = await testApp(engine);
    const ev = dispatcher('a', []);
    const e = { type: probe, workspaceId: 'w', actor: { type: 'system' as const, id: null, name: null } };
    const base = { ...e, ip: null, objectType: 'probe', objectId: 'x', at: new Date().toISOString() };
    await expect(ev.write(t.s.db, { ...base, data: { n: 'one' } as never })).rejects.toThrow(/invalid payload/);
    await expect(ev.write(t.s.db, { ...base, type: 'nobody.declared' as never, data: {} as never })).rejects.toThrow(
      /not declared/,
    );
  });

  it('runs a listener once per event, however often the event is delivered', async () => {
    t = await testApp(engine);
    const seen: { by: string; n: number; id: string }[] = [];
    const ev = dispatcher('a', seen);
    await write(ev, 1);
    // As if the node crashed after the listener committed but before the row was marked delivered.
    await allTables(t.s).updateTable('outbox').set({ delivered_at: null, lease_until: null }).execute();
    const again = dispatcher('b', seen);
    await again.deliver((await rows()).map((r) => r.id));
    expect(seen.map((x) => `${x.by}:${x.n}`)).toEqual(['a:1']);
    expect((await rows()).every((r) => r.delivered_at)).toBe(true);
  });

  it('retries a failing listener later and holds back the same object’s later events meanwhile', async () => {
    t = await testApp(engine);
    const seen: { by: string; n: number; id: string }[] = [];
    let broken = true;
    const ev = dispatcher('a', seen, (n) => broken && n === 1);
    await write(ev, 1, 'obj_1');
    await write(ev, 2, 'obj_1'); // same object: must wait for 1
    await write(ev, 3, 'obj_2'); // another object: not held back
    expect(seen.map((x) => x.n)).toEqual([3]);
    const failed = (await rows()).find((r) => JSON.parse(r.payload).data.n === 1)!;
    expect(failed.last_error).toMatch(/listener failed on 1/);
    expect(failed.lease_until! > t.s.clock.now().toISOString()).toBe(true); // backing off
    broken = false;
    await allTables(t.s).updateTable('outbox').set({ lease_until: null }).execute(); // the back-off has passed
    ev.start(20);
    await expect.poll(() => seen.map((x) => x.n), { timeout: 5000 }).toEqual([3, 1, 2]);
    await ev.stop();
  });

  it('delivers one object’s events in order when two dispatchers race', async () => {
    t = await testApp(engine);
    const seen: { by: string; n: number; id: string }[] = [];
    const a = dispatcher('a', seen);
    const b = dispatcher('b', seen);
    // Written without delivery (as by a node that died), then raced for by two dispatchers.
    const ids: string[] = [];
    for (let n = 1; n <= 40; n++) {
      const e = { workspaceId: 'ws_test', actor: { type: 'system' as const, id: null, name: null }, ip: null };
      ids.push(
        await a.write(t.s.db, {
          ...e,
          type: probe,
          objectType: 'probe',
          objectId: `obj_${n % 4}`,
          data: { n } as never,
          at: new Date().toISOString(),
        }),
      );
    }
    await Promise.all([a.deliver(ids), b.deliver(ids), a.deliver(ids.slice(20)), b.deliver(ids.slice(10))]);
    expect(seen).toHaveLength(40);
    expect(new Set(seen.map((x) => x.id)).size).toBe(40);
    for (let k = 0; k < 4; k++) {
      const order = seen.filter((x) => x.n % 4 === k).map((x) => x.n);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });

  it('prunes delivered events and their receipts after the given age', async () => {
    t = await testApp(engine);
    const ev = dispatcher('a', []);
    await write(ev, 1);
    expect(await ev.prune(3600_000)).toBe(0); // too young
    expect(await ev.prune(-1000)).toBeGreaterThanOrEqual(1);
    expect(await rows()).toEqual([]);
    const receipts = await allTables(t.s).selectFrom('outbox_receipts').selectAll().execute();
    expect(receipts).toEqual([]);
  });

  it('reports the undelivered backlog', async () => {
    t = await testApp(engine);
    const ev = dispatcher('a', [], () => true);
    await write(ev, 1);
    const b = await ev.backlog();
    expect(b.count).toBeGreaterThanOrEqual(1);
    expect(b.oldestAt).not.toBeNull();
  });
});
