/**
 * The durable job queue: one `jobs` table polled by workers. A job is claimed with a lease
 * (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one atomic UPDATE in an IMMEDIATE transaction),
 * so two workers never run the same job; a worker that dies loses its lease and the job is
 * claimed again. Deadlines are rows with a run_at, never timers in memory.
 */
import { sql } from 'kysely';
import { engineOf, type Executor } from '../../db/index.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { own, type JobsTable } from './schema.ts';

export type Job = Omit<JobsTable, 'payload'> & { payload: unknown };

export type EnqueueInput = {
  type: string;
  payload?: unknown;
  workspaceId?: string | null;
  runAt?: Date;
  maxAttempts?: number;
  /** A second enqueue with the same key is ignored (returns null). */
  uniqueKey?: string;
};

export async function enqueue(db: Executor, clock: Clock, input: EnqueueInput): Promise<string | null> {
  const now = clock.now().toISOString();
  const id = newId('job');
  const res = await own(db)
    .insertInto('jobs')
    .values({
      id,
      workspace_id: input.workspaceId ?? null,
      type: input.type,
      payload: JSON.stringify(input.payload ?? {}),
      status: 'queued',
      run_at: (input.runAt ?? clock.now()).toISOString(),
      attempts: 0,
      max_attempts: input.maxAttempts ?? 5,
      unique_key: input.uniqueKey ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0 ? id : null;
}

/** Claims up to `limit` due jobs (or jobs whose lease expired) for `workerId`. */
export async function claim(
  db: Executor,
  clock: Clock,
  workerId: string,
  limit: number,
  leaseMs: number,
): Promise<Job[]> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const lock = engineOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
  // A job whose worker died during its last attempt is given up, not retried forever.
  await own(db)
    .updateTable('jobs')
    .set({
      status: 'failed',
      last_error: 'the worker stopped during the last attempt (lease expired)',
      finished_at: nowIso,
      updated_at: nowIso,
      locked_by: null,
      locked_until: null,
    })
    .where('status', '=', 'running')
    .where('locked_until', '<', nowIso)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .execute();
  const rows = await sql<JobsTable>`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${until},
      attempts = attempts + 1, updated_at = ${nowIso}
    where id in (
      select id from jobs
      where (status = 'queued' and run_at <= ${nowIso}) or (status = 'running' and locked_until < ${nowIso})
      order by run_at, id limit ${limit} ${lock}
    )
    returning *`.execute(db);
  return rows.rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}

/** Marks a job done, but only if this worker still holds its lease. */
export async function complete(db: Executor, clock: Clock, job: Job, workerId: string): Promise<boolean> {
  const now = clock.now().toISOString();
  const r = await own(db)
    .updateTable('jobs')
    .set({ status: 'done', finished_at: now, updated_at: now, locked_by: null, locked_until: null })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records a failure: retried with exponential back-off until max_attempts, then `failed`. */
export async function fail(db: Executor, clock: Clock, job: Job, workerId: string, error: unknown): Promise<void> {
  const now = clock.now();
  const final = job.attempts >= job.max_attempts;
  const backoffMs = Math.min(60 * 60_000, 1000 * 2 ** job.attempts);
  await own(db)
    .updateTable('jobs')
    .set({
      status: final ? 'failed' : 'queued',
      run_at: final ? job.run_at : new Date(now.getTime() + backoffMs).toISOString(),
      last_error: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000),
      finished_at: final ? now.toISOString() : null,
      updated_at: now.toISOString(),
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Counts by status, for /metrics and `doctor`. */
export async function jobCounts(db: Executor): Promise<Record<string, number>> {
  const rows = await own(db)
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
