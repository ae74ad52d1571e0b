/**
 * A storm: every alert of a rule changing state in one cycle (hundreds turning pending, then
 * firing, then resolved) is written in chunks — a bounded number of statements and transactions,
 * counted here on both engines — and a crash between two chunks loses none already committed:
 * the next evaluator (a restart) completes the cycle without a second alert or a second event.
 * On SQLite both ways: every transition on the evaluator's connection, and (servers) the ones
 * that publish no event on the monitoring writer's thread (series-writer.ts).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../context.ts';
import { openDb, type DbHandle, type Engine } from '../../db/index.ts';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, pgUrl, testApp, type TestApp } from '../../testing/harness.ts';
import { chunkRows } from './alert-writes.ts';
import { RuleEvaluator } from './alerts.ts';
import { saveConfigObject } from './config-store.ts';
import { memorySource } from './promql/eval.ts';
import { own } from './schema.ts';
import type { Point } from './store.ts';

const N = 5 * chunkRows - 10; // 240 alerts: five chunks, the last one short

const cases: [Engine, 'connection' | 'thread'][] = engines.flatMap((e): [Engine, 'connection' | 'thread'][] =>
  e === 'sqlite'
    ? [
        [e, 'connection'],
        [e, 'thread'],
      ]
    : [[e, 'connection']],
);

describe.each(cases)('an alert storm on %s, written on the evaluator’s %s', (engine, via) => {
  const thread = via === 'thread';
  let t: TestApp;
  let counted: DbHandle;
  const clock = manualClock('2026-12-01T08:00:00Z');
  const series = Array.from({ length: N }, (_, i) => ({
    name: 'storm_up',
    labels: { instance: `i${String(i).padStart(3, '0')}` },
    points: [] as Point[],
  }));
  const source = memorySource(series);
  /** The statements run through `counted` since the last `reset`, by their first words. */
  let statements: string[] = [];
  const count = (re: RegExp) => statements.filter((q) => re.test(q)).length;
  const writes = () => count(/^(insert into|update|delete from) "?monitoring_alerts"?/i);
  const begins = () => count(/^begin/i);

  const step = async (ev: RuleEvaluator, v: number) => {
    clock.advance(15_000);
    for (const x of series) x.points.push([clock.now().getTime(), v]);
    statements = [];
    await ev.tick(clock.now().getTime());
  };
  const alerts = () => own(t.s.db).selectFrom('monitoring_alerts').select(['fingerprint', 'state']).execute();
  const events = async (type: string) =>
    (await allTables(t.s).selectFrom('outbox').select('payload').where('type', '=', type).execute()).map(
      (r) => JSON.parse(r.payload).data as { fingerprint: string },
    );

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    await t.workspace('home', { installationOwner: true });
    // A second handle on the same database that sees every statement the evaluator runs.
    counted = openDb({
      databaseUrl: engine === 'postgres' ? pgUrl : undefined,
      sqliteFile: join(t.env.dataDir, 'kefu.db'),
      pgSchema: t.env.pgSchema,
      onQuery: (q) => statements.push(q.trim()),
    });
  });
  afterAll(async () => {
    await counted?.close();
    await t?.close();
  });
  // Without the writer's thread: a process state where it is switched off (series-writer.ts).
  const state = () => (thread ? t.s.state : new Map([['monitoring.writer', null]]));
  const services = (): Services => ({ ...t.s, db: counted.db, state: state() });

  it('writes a storm in chunks: a bounded number of statements and transactions', async () => {
    await saveConfigObject(
      t.s.db,
      'group',
      'storm',
      { name: 'storm', interval: '15s', rules: [{ alert: 'StormDown', expr: 'storm_up == 0', for: '10s' }] },
      0,
      clock.now(),
    );
    const ev = new RuleEvaluator(services(), source);
    const chunks = Math.ceil(N / chunkRows);

    // With the thread, new alerts and moves are its statements, not the evaluator connection's.
    const onConnection = thread ? 0 : 1;
    await step(ev, 0); // all N new: pending
    expect((await alerts()).filter((a) => a.state === 'pending')).toHaveLength(N);
    expect(writes()).toBe(onConnection * chunks);
    expect(begins()).toBe(onConnection * chunks);

    await step(ev, 0); // all N pending → firing, and announced
    expect((await alerts()).filter((a) => a.state === 'firing')).toHaveLength(N);
    expect(writes()).toBe((1 + onConnection) * chunks); // the moves, then the notify pass's marks
    expect(begins()).toBe((1 + onConnection) * chunks);
    expect(new Set((await events('alert.firing')).map((e) => e.fingerprint)).size).toBe(N);

    await step(ev, 1); // all N resolve
    expect((await alerts()).filter((a) => a.state === 'resolved')).toHaveLength(N);
    expect(writes()).toBe(chunks);
    expect(begins()).toBe(chunks);
    expect(await events('alert.resolved')).toHaveLength(N);
    expect(await events('alert.firing')).toHaveLength(N);
  });

  it('loses nothing committed when it crashes between chunks, and fires each alert once after a restart', async () => {
    await own(t.s.db).deleteFrom('monitoring_alerts').execute();
    await allTables(t.s).deleteFrom('outbox').where('type', 'like', 'alert.%').execute();
    // A storm of N alerts firing at once (no `for`); the process dies as its third transaction begins.
    await saveConfigObject(
      t.s.db,
      'group',
      'storm',
      { name: 'storm', interval: '15s', rules: [{ alert: 'StormNow', expr: 'storm_up == 0' }] },
      1,
      clock.now(),
    );
    let transactions = 0;
    const crashing = new Proxy(counted.db, {
      get(target, p) {
        if (p === 'transaction')
          return () => {
            if (++transactions === 3) throw new Error('crash between chunks');
            return target.transaction();
          };
        const v = Reflect.get(target, p, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    await expect(step(new RuleEvaluator({ ...t.s, db: crashing, state: state() }, source), 0)).rejects.toThrow(
      'crash between chunks',
    );
    const kept = await alerts();
    expect(kept.every((a) => a.state === 'firing')).toBe(true);
    if (thread) {
      // The thread inserted all of them; the crash came in the notify pass: two chunks announced.
      expect(kept).toHaveLength(N);
      expect(await events('alert.firing')).toHaveLength(2 * chunkRows);
    } else {
      // The two chunks committed before the crash are there, firing, not yet announced.
      expect(kept.length).toBeGreaterThanOrEqual(2 * chunkRows);
      expect(kept.length).toBeLessThan(N);
      expect(await events('alert.firing')).toEqual([]);
    }

    // A restart evaluates the next cycle: the rest are inserted, every alert announced once.
    const restarted = new RuleEvaluator(services(), source);
    await step(restarted, 0);
    await step(restarted, 0);
    const after = await alerts();
    expect(after).toHaveLength(N);
    expect(new Set(after.map((a) => a.fingerprint)).size).toBe(N);
    for (const k of kept) expect(after).toContainEqual(k);
    const fired = (await events('alert.firing')).map((e) => e.fingerprint);
    expect(fired).toHaveLength(N);
    expect(new Set(fired).size).toBe(N);
  });
});
