/**
 * Listeners that take batches (`handleBatch`), on both engines: a run of consecutive events of
 * one type goes to them in one transaction with all its receipts, in outbox order and in runs of
 * at most `deliveryBatch`; each event is applied once however often it is delivered; a crash
 * inside a batch leaves none of it applied (the whole run is delivered again), a crash after its
 * commit applies none of it twice; a failing event is retried alone, the rest delivered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Tx } from '../../db/index.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { memoryBus } from '../bus.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';
import { deliveryBatch, Events, type EventsOptions } from './dispatcher.ts';
import { defineEvents, type DomainEvent } from './types.ts';

const probeEvents = defineEvents({
  'probe.happened': z.object({ n: z.number().int() }),
  'probe.other': z.object({ n: z.number().int() }),
});
const probe = 'probe.happened' as never;
const other = 'probe.other' as never;

type Call = { kind: 'one' | 'batch'; ns: number[] };
type Behaviour = {
  /** The batch handler throws after applying this many of its events (a crash inside the transaction). */
  crashInBatchAfter?: number;
  /** `handle` throws for these (a dying node: everything fails; or one bad event). */
  failOne?: (n: number) => boolean;
  faults?: EventsOptions['faults'];
};

describe.each(engines)('batch-taking listeners on %s', (engine) => {
  let t: TestApp;
  /** A real workspace: the effect rows reference it. */
  let ws: string;
  const start = async () => {
    t = await testApp(engine);
    ws = (await t.workspace('batch')).id;
  };
  afterEach(async () => {
    await t?.close();
  });

  const nOf = (e: DomainEvent) => (e.data as { n: number }).n;
  /** The listener's effect: one row per event in its transaction (audit_log, as the audit module writes). */
  const apply = async (tx: Tx, e: DomainEvent) => {
    await allTables({ db: tx })
      .insertInto('audit_log')
      .values({
        id: newId('aud'),
        workspace_id: ws,
        actor_type: 'system',
        actor_id: null,
        actor_name: null,
        action: e.type,
        object_type: 'probe',
        object_id: e.id,
        ip: null,
        data: JSON.stringify(e.data),
        created_at: e.at,
      })
      .execute();
  };
  const applied = async () =>
    (await allTables(t.s).selectFrom('audit_log').select('object_id').where('action', 'like', 'probe.%').execute()).map(
      (r) => r.object_id,
    );
  const outbox = () => allTables(t.s).selectFrom('outbox').selectAll().where('type', 'like', 'probe.%').execute();
  const receipts = async () =>
    (
      await allTables(t.s)
        .selectFrom('outbox_receipts')
        .select('event_id')
        .where('listener', '=', 'probe.batched')
        .execute()
    ).map((r) => r.event_id);
  const undelivered = async () => (await outbox()).filter((r) => !r.delivered_at);

  function dispatcher(calls: Call[], b: Behaviour = {}) {
    const ev = new Events({
      db: t.s.db,
      bus: memoryBus(),
      clock: t.s.clock,
      log: createLogger('silent'),
      ...(b.faults && { faults: b.faults }),
    });
    ev.declare(probeEvents);
    ev.listen({
      name: 'probe.batched',
      on: [probe, other],
      async handle(e, scope) {
        if (b.failOne?.(nOf(e))) throw new Error(`failed on ${nOf(e)}`);
        await apply(scope.tx, e);
        calls.push({ kind: 'one', ns: [nOf(e)] });
      },
      async handleBatch(events, scope) {
        for (const [i, e] of events.entries()) {
          if (i === b.crashInBatchAfter) throw new Error('crash inside the batch');
          if (b.failOne?.(nOf(e))) throw new Error(`failed on ${nOf(e)}`);
          await apply(scope.tx, e);
        }
        calls.push({ kind: 'batch', ns: events.map(nOf) });
      },
    });
    return ev;
  }

  /** Events written without delivery (as a rule cycle commits a storm), each of its own object. */
  async function written(ev: Events, ns: number[], type: (n: number) => never = () => probe): Promise<string[]> {
    const ids: string[] = [];
    for (const n of ns)
      ids.push(
        await ev.write(t.s.db, {
          type: type(n),
          workspaceId: ws,
          actor: { type: 'system', id: null, name: null },
          ip: null,
          objectType: 'probe',
          objectId: `obj_${n}`,
          data: { n } as never,
          at: new Date().toISOString(),
        }),
      );
    return ids;
  }
  const range = (k: number) => Array.from({ length: k }, (_, i) => i);
  /** The back-off of a failed row has passed. */
  const backoffOver = () => allTables(t.s).updateTable('outbox').set({ lease_until: null }).execute();

  it('delivers a run of one type in batches of at most deliveryBatch, in order, each event once', async () => {
    await start();
    const calls: Call[] = [];
    const ev = dispatcher(calls);
    const n = 2 * deliveryBatch + 5;
    const ids = await written(ev, range(n));
    await ev.deliver(ids);
    expect(calls.map((c) => c.kind)).toEqual(['batch', 'batch', 'batch']);
    expect(calls.map((c) => c.ns.length)).toEqual([deliveryBatch, deliveryBatch, 5]);
    expect(calls.flatMap((c) => c.ns)).toEqual(range(n));
    expect((await applied()).sort()).toEqual([...ids].sort());
    expect(await undelivered()).toEqual([]);
    expect((await receipts()).sort()).toEqual([...ids].sort());

    // Delivered again (a node that died before marking them): the receipts hold, nothing runs twice.
    await allTables(t.s).updateTable('outbox').set({ delivered_at: null, lease_until: null }).execute();
    await dispatcher(calls).deliver(ids);
    expect(calls).toHaveLength(3);
    expect(await applied()).toHaveLength(n);
    expect(await undelivered()).toEqual([]);
  });

  it('batches only consecutive events of one type: another type between them ends the run', async () => {
    await start();
    const calls: Call[] = [];
    const ev = dispatcher(calls);
    const ids = await written(ev, range(9), (n) => (n === 4 ? other : probe));
    await ev.deliver(ids);
    expect(calls).toEqual([
      { kind: 'batch', ns: [0, 1, 2, 3] },
      { kind: 'one', ns: [4] },
      { kind: 'batch', ns: [5, 6, 7, 8] },
    ]);
    expect(await applied()).toHaveLength(9);
  });

  it('a crash inside a batch leaves none of it applied; the restarted node applies each event once', async () => {
    await start();
    const calls: Call[] = [];
    // A dying node: its batch fails half-way through, then each event alone fails too.
    const dying = dispatcher(calls, { crashInBatchAfter: 7, failOne: () => true });
    const ids = await written(dying, range(deliveryBatch));
    await dying.deliver(ids);
    expect(calls).toEqual([]);
    expect(await applied()).toEqual([]); // the seven applied before the crash were rolled back with it
    expect(await receipts()).toEqual([]);
    expect(await undelivered()).toHaveLength(deliveryBatch);

    await backoffOver();
    await dispatcher(calls).deliver(ids);
    expect(calls).toEqual([{ kind: 'batch', ns: range(deliveryBatch) }]);
    expect((await applied()).sort()).toEqual([...ids].sort());
    expect(await undelivered()).toEqual([]);
  });

  it('a crash after a batch committed applies none of it twice when it is delivered again', async () => {
    await start();
    const calls: Call[] = [];
    const dying = dispatcher(calls, {
      faults: {
        afterListener: () => {
          throw new Error('the node died after the commit');
        },
      },
    });
    const ids = await written(dying, range(12));
    await dying.deliver(ids);
    expect(calls).toEqual([{ kind: 'batch', ns: range(12) }]);
    expect(await applied()).toHaveLength(12);
    expect(await undelivered()).toHaveLength(12); // not marked delivered

    await backoffOver();
    await dispatcher(calls).deliver(ids);
    expect(calls).toHaveLength(1); // every receipt was there: nothing ran again
    expect(await applied()).toHaveLength(12);
    expect(await undelivered()).toEqual([]);
  });

  it('a failing event fails alone: the rest of its run is delivered, it is retried later', async () => {
    await start();
    const calls: Call[] = [];
    let broken = true;
    const ev = dispatcher(calls, { failOne: (n) => broken && n === 5 });
    const ids = await written(ev, range(10));
    await ev.deliver(ids);
    // The batch failed as a whole (rolled back); one by one, only 5 failed.
    expect(calls.every((c) => c.kind === 'one')).toBe(true);
    expect(calls.flatMap((c) => c.ns)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    const left = await undelivered();
    expect(left.map((r) => JSON.parse(r.payload).data.n)).toEqual([5]);
    expect(left[0].last_error).toMatch(/failed on 5/);

    broken = false;
    await backoffOver();
    await ev.deliver(ids);
    expect(await applied()).toHaveLength(10);
    expect(await undelivered()).toEqual([]);
    expect(await receipts()).toHaveLength(10);
  });
});
