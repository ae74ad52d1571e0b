/**
 * The weekly inspection's reads of the installation's own records (lib/ops-records): error and
 * warning signatures grouped in SQL, the log store's coverage, and the duration summaries of
 * statements and rule evaluations. Read-only, up to the period's end, like every input (inputs.ts).
 */
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { monthlyStatement, type IncidentAs, type WorkspaceContract } from '../incidents/index.ts';
import type { Period } from './periods.ts';
import type { PenaltyInputs } from './sections-penalty.ts';
import { across } from './schema.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export type LogSignatureRow = {
  level: number;
  errType: string;
  message: string;
  frames: string[];
  count: number;
  first: number;
  last: number;
};
/** `covered`: the log store ran in the period (it flushed at least once); `records`: warnings and errors seen. */
export type LogInputs = { covered: boolean; records: number; signatures: LogSignatureRow[] };

export async function loadLogSignatures(db: Db, start: number, end: number, limit = 30): Promise<LogInputs> {
  const q = across(db);
  const coverage = await q
    .selectFrom('perf_samples')
    .select([sql<number>`count(*)`.as('flushes'), sql<number | null>`sum(count)`.as('captured')])
    .where('kind', '=', 'logs')
    .where('at', '>=', iso(start))
    .where('at', '<', iso(end))
    .executeTakeFirstOrThrow();
  const total = await q
    .selectFrom('log_records')
    .select(sql<number>`count(*)`.as('n'))
    .where('at', '>=', iso(start))
    .where('at', '<', iso(end))
    .executeTakeFirstOrThrow();
  const rows = await q
    .selectFrom('log_records')
    .select([
      'err_type',
      'message',
      'frames',
      sql<number>`max(level)`.as('level'),
      sql<number>`count(*)`.as('n'),
      sql<string>`min(at)`.as('first'),
      sql<string>`max(at)`.as('last'),
    ])
    .where('at', '>=', iso(start))
    .where('at', '<', iso(end))
    .groupBy(['err_type', 'message', 'frames'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`min(at)`)
    .orderBy('message')
    .limit(limit)
    .execute();
  return {
    covered: Number(coverage.flushes) > 0 || Number(total.n) > 0,
    records: Number(total.n),
    signatures: rows.map((r) => ({
      level: Number(r.level),
      errType: r.err_type,
      message: r.message,
      frames: JSON.parse(r.frames) as string[],
      count: Number(r.n),
      first: Date.parse(r.first),
      last: Date.parse(r.last),
    })),
  };
}

export type PerfRow = { kind: string; shape: string; count: number; totalMs: number; maxMs: number; buckets: number[] };

/** Statement and rule-evaluation summaries flushed in the period (one row per shape and flush). */
export async function loadPerfSamples(db: Db, start: number, end: number): Promise<PerfRow[]> {
  const rows = await across(db)
    .selectFrom('perf_samples')
    .select(['kind', 'shape', 'count', 'total_ms', 'max_ms', 'buckets'])
    .where('kind', 'in', ['query', 'rule'])
    .where('at', '>=', iso(start))
    .where('at', '<', iso(end))
    .orderBy('at')
    .orderBy('kind')
    .orderBy('shape')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    shape: r.shape,
    count: Number(r.count),
    totalMs: Number(r.total_ms),
    maxMs: Number(r.max_ms),
    buckets: JSON.parse(r.buckets) as number[],
  }));
}

/**
 * The month's penalty statement from the incidents module's own code, as the incidents stood at
 * the period's end (its clock one millisecond before: the contract defaults of the period's year).
 * The sign-offs are left out: they come later, and the stored document must not change with them.
 * `given`: the contract's terms and incidents' fields to apply (inputs-snapshot.ts: as they were
 * when the report was produced).
 */
export async function loadPenaltyStatement(
  db: Db,
  workspaceId: string,
  period: Period,
  given: { contract?: WorkspaceContract; incidents?: Record<string, IncidentAs> } = {},
): Promise<PenaltyInputs> {
  const clock = { now: () => new Date(period.end - 1) };
  const { signoffs: _signed, ...st } = await monthlyStatement(
    { db, clock },
    workspaceId,
    period.key,
    period.end,
    given,
  );
  return st;
}
