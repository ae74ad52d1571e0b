import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type DbHandle, type Engine } from '../../db/index.ts';
import { migratedPgSchema, migratedSqliteFile } from '../../testing/databases.ts';
import { allTables, engines, pgUrl } from '../../testing/harness.ts';
import { manualClock } from '../clock.ts';
import { createLogger } from '../logger.ts';
import { claim, complete, enqueue, fail, jobCounts } from './queue.ts';
import { Scheduler } from './scheduler.ts';
import { JobWorker } from './worker.ts';

const log = createLogger('silent');
const t0 = '2026-03-01T08:00:00.000Z';

/**
 * An empty migrated database (the harness's: a copy of the SQLite template, or a reused
 * PostgreSQL schema) and `n` separate handles on it (SQLite connections to one file, or
 * PostgreSQL pools on one schema).
 */
async function freshDb(engine: Engine, n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-jobs-'));
  const pgs = engine === 'postgres' ? await migratedPgSchema(pgUrl!) : undefined;
  if (!pgs) await migratedSqliteFile(join(dir, 'kefu.db'));
  const handles: DbHandle[] = [];
  for (let i = 0; i < n; i++)
    handles.push(
      pgs
        ? openDb({ databaseUrl: pgUrl, pgSchema: pgs.schema, poolSize: 4 })
        : openDb({ sqliteFile: join(dir, 'kefu.db') }),
    );
  return {
    dbs: handles.map((h) => h.db),
    async cleanup() {
      for (const h of handles) await h.close();
      pgs?.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each(engines)('job queue on %s', (engine) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
  const setup = async (n = 1) => {
    const f = await freshDb(engine, n);
    cleanup = f.cleanup;
    return f.dbs;
  };
  const row = (db: Awaited<ReturnType<typeof setup>>[number], id: string) =>
    allTables({ db: db }).selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('enqueues, claims once with a lease, and completes', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const id = await enqueue(db, clock, {
      type: 'mail.send',
      payload: { to: 'a@example.com', n: 1 },
      workspaceId: null,
    });
    expect(id).toMatch(/^job_/);
    const [job, ...rest] = await claim(db, clock, 'w1', 10, 60_000);
    expect(rest).toEqual([]);
    expect(job).toMatchObject({
      id,
      type: 'mail.send',
      payload: { to: 'a@example.com', n: 1 },
      status: 'running',
      attempts: 1,
      locked_by: 'w1',
    });
    expect(job.locked_until).toBe('2026-03-01T08:01:00.000Z');
    expect(await claim(db, clock, 'w2', 10, 60_000)).toEqual([]);
    clock.advance(5_000);
    expect(await complete(db, clock, job, 'w1')).toBe(true);
    expect(await row(db, id!)).toMatchObject({
      status: 'done',
      finished_at: '2026-03-01T08:00:05.000Z',
      locked_by: null,
      locked_until: null,
    });
    expect(await complete(db, clock, job, 'w1')).toBe(false);
    expect(await jobCounts(db)).toEqual({ done: 1 });
  });

  it('does not claim a job before its run_at, and claims due jobs oldest first', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const later = await enqueue(db, clock, { type: 'x', runAt: new Date('2026-03-01T08:10:00.000Z') });
    const soon = await enqueue(db, clock, { type: 'x', runAt: new Date('2026-03-01T08:05:00.000Z') });
    expect(await claim(db, clock, 'w', 10, 60_000)).toEqual([]);
    clock.set('2026-03-01T08:04:59.999Z');
    expect(await claim(db, clock, 'w', 10, 60_000)).toEqual([]);
    clock.set('2026-03-01T08:10:00.000Z');
    expect((await claim(db, clock, 'w', 1, 60_000)).map((j) => j.id)).toEqual([soon]);
    expect((await claim(db, clock, 'w', 1, 60_000)).map((j) => j.id)).toEqual([later]);
  });

  it('ignores a second enqueue with the same unique key', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const first = await enqueue(db, clock, { type: 'digest', uniqueKey: 'digest:2026-03-01' });
    expect(first).toMatch(/^job_/);
    expect(
      await enqueue(db, clock, { type: 'digest', uniqueKey: 'digest:2026-03-01', payload: { other: true } }),
    ).toBeNull();
    expect(await enqueue(db, clock, { type: 'digest', uniqueKey: 'digest:2026-03-02' })).toMatch(/^job_/);
    // Jobs without a key are never deduplicated.
    expect(await enqueue(db, clock, { type: 'digest' })).not.toBeNull();
    expect(await enqueue(db, clock, { type: 'digest' })).not.toBeNull();
    expect(await allTables({ db: db }).selectFrom('jobs').select('id').execute()).toHaveLength(4);
    expect((await row(db, first!)).payload).toBe('{}');
  });

  it('retries a failing job with exponential back-off, then marks it failed keeping the last error', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const seen: number[] = [];
    const outcomes: string[] = [];
    const w = new JobWorker({ db, clock, log, pollMs: 10, onFinished: (_j, o) => outcomes.push(o) });
    w.register('flaky', async (job) => {
      seen.push(job.attempts);
      throw new Error(`refused on attempt ${job.attempts}`);
    });
    const id = (await enqueue(db, clock, { type: 'flaky', maxAttempts: 3 }))!;

    expect(await w.tick()).toBe(1);
    expect(await row(db, id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      run_at: '2026-03-01T08:00:02.000Z',
      locked_by: null,
      finished_at: null,
    });
    expect((await row(db, id)).last_error).toContain('refused on attempt 1');
    clock.advance(1_999);
    expect(await w.tick()).toBe(0);
    clock.advance(1);
    expect(await w.tick()).toBe(1);
    expect(await row(db, id)).toMatchObject({ status: 'queued', attempts: 2, run_at: '2026-03-01T08:00:06.000Z' });
    clock.advance(4_000);
    expect(await w.tick()).toBe(1);
    const final = await row(db, id);
    expect(final).toMatchObject({
      status: 'failed',
      attempts: 3,
      finished_at: '2026-03-01T08:00:06.000Z',
      locked_by: null,
    });
    expect(final.last_error).toContain('refused on attempt 3');
    clock.advance(24 * 3600_000);
    expect(await w.tick()).toBe(0);
    expect(seen).toEqual([1, 2, 3]);
    expect(outcomes).toEqual(['failed', 'failed', 'failed']);
  });

  it('fails a job whose type has no handler', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const id = (await enqueue(db, clock, { type: 'nobody.handles.this', maxAttempts: 1 }))!;
    await new JobWorker({ db, clock, log, pollMs: 10 }).tick();
    const r = await row(db, id);
    expect(r.status).toBe('failed');
    expect(r.last_error).toContain('no handler for job type nobody.handles.this');
  });

  it('lets another worker reclaim an expired lease, and refuses the first worker a late complete or fail', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const id = (await enqueue(db, clock, { type: 'slow' }))!;
    const [a] = await claim(db, clock, 'A', 1, 30_000);
    clock.advance(30_000);
    expect(await claim(db, clock, 'B', 1, 30_000)).toEqual([]); // the lease ends strictly after its time
    clock.advance(1);
    const [b] = await claim(db, clock, 'B', 1, 30_000);
    expect(b).toMatchObject({ id, attempts: 2, locked_by: 'B' });
    expect(await complete(db, clock, a, 'A')).toBe(false);
    await fail(db, clock, a, 'A', new Error('late'));
    expect(await row(db, id)).toMatchObject({ status: 'running', locked_by: 'B', last_error: null });
    expect(await complete(db, clock, b, 'B')).toBe(true);
    expect((await row(db, id)).status).toBe('done');
  });

  it('gives up a job whose worker died during its last attempt instead of retrying it forever', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const id = (await enqueue(db, clock, { type: 'crashy', maxAttempts: 2 }))!;
    await claim(db, clock, 'A', 1, 10_000);
    clock.advance(10_001);
    expect(await claim(db, clock, 'B', 1, 10_000)).toHaveLength(1); // attempt 2 of 2
    clock.advance(10_001);
    expect(await claim(db, clock, 'C', 1, 10_000)).toEqual([]);
    expect(await row(db, id)).toMatchObject({ status: 'failed', attempts: 2, locked_by: null });
    expect((await row(db, id)).last_error).toMatch(/lease expired/);
  });

  it('runs a job on a second worker when the first one overran its lease; the first cannot complete it', async () => {
    const [db] = await setup();
    const clock = manualClock(t0);
    const runs: string[] = [];
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const a = new JobWorker({ db, clock, log, pollMs: 10, leaseMs: 1_000 });
    const b = new JobWorker({ db, clock, log, pollMs: 10, leaseMs: 1_000 });
    a.register('report', async () => {
      runs.push('A');
      await stuck;
    });
    b.register('report', async () => void runs.push('B'));
    const id = (await enqueue(db, clock, { type: 'report' }))!;
    const aTick = a.tick();
    while (!runs.length) await sleep(1);
    expect(await b.tick()).toBe(0);
    clock.advance(1_001);
    expect(await b.tick()).toBe(1);
    const done = await row(db, id);
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    release();
    await aTick;
    expect(await row(db, id)).toEqual(done);
    expect(runs).toEqual(['A', 'B']);
  });

  it('never runs a job on two workers, each on its own connection', async () => {
    const [db1, db2] = await setup(2);
    const clock = manualClock(t0);
    const total = 200;
    const ids = new Set<string>();
    for (let i = 0; i < total; i++) ids.add((await enqueue(db1, clock, { type: 'count', payload: { i } }))!);
    const ran: { worker: string; id: string }[] = [];
    const worker = (name: string, db: typeof db1) => {
      const w = new JobWorker({ db, clock, log, pollMs: 10, batch: 5 });
      w.register('count', async (job) => {
        ran.push({ worker: name, id: job.id });
        await new Promise((r) => setImmediate(r));
      });
      return async () => {
        for (let idle = 0; idle < 50;) {
          if ((await w.tick()) > 0) idle = 0;
          else if (Object.keys(await jobCounts(db)).every((s) => s === 'done' || s === 'failed')) return;
          else {
            idle++;
            await sleep(2);
          }
        }
        throw new Error(`worker ${name} gave up with jobs left`);
      };
    };
    await Promise.all([worker('one', db1)(), worker('two', db2)()]);
    expect(ran).toHaveLength(total);
    expect(new Set(ran.map((r) => r.id))).toEqual(ids);
    expect(ran.some((r) => r.worker === 'one') && ran.some((r) => r.worker === 'two')).toBe(true);
    expect(await jobCounts(db2)).toEqual({ done: total });
    const attempts = await allTables({ db: db1 }).selectFrom('jobs').select('attempts').distinct().execute();
    expect(attempts).toEqual([{ attempts: 1 }]);
  });

  it('enqueues a schedule tick once however many schedulers fire it, and each new tick again', async () => {
    const [db1, db2] = await setup(2);
    const clock = manualClock(t0);
    const s1 = new Scheduler({ db: db1, clock, log });
    const s2 = new Scheduler({ db: db2, clock, log });
    const schedule = {
      name: 'session-cleanup',
      cron: '*/5 * * * *',
      jobType: 'sessions.cleanup',
      payload: { keep: 1 },
    };
    const tick = new Date('2026-03-01T08:05:00.000Z');
    const [a, b] = await Promise.all([s1.fire(schedule, tick), s2.fire(schedule, tick)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await s1.fire(schedule, tick)).toBeNull();
    expect(await s2.fire(schedule, new Date(tick.getTime() + 250))).toBeNull(); // the same tick seen a little late
    expect(await s2.fire(schedule, new Date('2026-03-01T08:10:00.000Z'))).toMatch(/^job_/);
    expect(await s1.fire({ ...schedule, name: 'other' }, tick)).toMatch(/^job_/);
    const rows = await allTables({ db: db1 })
      .selectFrom('jobs')
      .select(['type', 'payload', 'unique_key', 'max_attempts'])
      .orderBy('unique_key')
      .execute();
    expect(rows).toEqual([
      {
        type: 'sessions.cleanup',
        payload: '{"keep":1}',
        unique_key: 'schedule:other:2026-03-01T08:05:00.000Z',
        max_attempts: 3,
      },
      {
        type: 'sessions.cleanup',
        payload: '{"keep":1}',
        unique_key: 'schedule:session-cleanup:2026-03-01T08:05:00.000Z',
        max_attempts: 3,
      },
      {
        type: 'sessions.cleanup',
        payload: '{"keep":1}',
        unique_key: 'schedule:session-cleanup:2026-03-01T08:10:00.000Z',
        max_attempts: 3,
      },
    ]);
  });
});
