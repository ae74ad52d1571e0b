/**
 * SLA outcomes per day and policy (table `sla_daily`), kept as clocks change so a report reads a
 * few hundred rows whatever the number of tickets. A subject (a ticket) contributes one `count`
 * row, and per target its outcome (met, breached, open) with, once fulfilled, its elapsed minutes
 * in a histogram bucket (10 % wide) and their exact sum, so quantiles are exact when a bucket
 * holds one value and within the bucket's width otherwise. The subject's module calls
 * `applySlaOutcomes(before, after)` in the unit of work that changes the clock: the rollup moves
 * by the difference, exactly.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { own, type SlaDailyTable } from './schema.ts';

export type SlaTargetOutcome = { breached: boolean; fulfilledAt: string | null; elapsedMinutes: number };
/** What one subject contributes: its day (in the workspace's time zone), policy and targets. */
export type SlaOutcome = {
  workspaceId: string;
  subjectType: string;
  day: string;
  policyId: string | null;
  targets: Record<string, SlaTargetOutcome>;
};

export type SlaDailyRow = SlaDailyTable;
const keyCols = ['workspace_id', 'subject_type', 'day', 'policy_id', 'target', 'outcome', 'bucket'] as const;

/** The histogram bucket of an elapsed time: 0 below a minute, then 10 % wide. */
export const slaBucket = (minutes: number): number =>
  minutes < 1 ? 0 : 1 + Math.floor(Math.log(minutes) / Math.log(1.1));

/** The rows (each n = 1) one subject contributes. */
export function outcomeRows(o: SlaOutcome): SlaDailyRow[] {
  const base = { workspace_id: o.workspaceId, subject_type: o.subjectType, day: o.day, policy_id: o.policyId ?? '' };
  const rows: SlaDailyRow[] = [{ ...base, target: '*', outcome: 'count', bucket: -1, n: 1, minutes_centi: 0 }];
  for (const [target, c] of Object.entries(o.targets)) {
    const centi = Math.round(c.elapsedMinutes * 100);
    rows.push({
      ...base,
      target,
      outcome: c.breached ? 'breached' : c.fulfilledAt ? 'met' : 'open',
      bucket: c.fulfilledAt ? slaBucket(centi / 100) : -1,
      n: 1,
      minutes_centi: c.fulfilledAt ? centi : 0,
    });
  }
  return rows;
}

const keyOf = (r: SlaDailyRow) => keyCols.map((k) => r[k]).join('\u0000');

/** Sums rows by key (dropping those that sum to nothing), sorted by key. */
export function sumRows(rows: Iterable<SlaDailyRow & { sign?: 1 | -1 }>): SlaDailyRow[] {
  const out = new Map<string, SlaDailyRow>();
  for (const r of rows) {
    const k = keyOf(r);
    const sign = r.sign ?? 1;
    const cur = out.get(k) ?? { ...r, n: 0, minutes_centi: 0 };
    delete (cur as { sign?: number }).sign;
    cur.n += sign * r.n;
    cur.minutes_centi += sign * r.minutes_centi;
    out.set(k, cur);
  }
  return [...out.entries()]
    .filter(([, r]) => r.n !== 0 || r.minutes_centi !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}

/**
 * Moves the rollup from one subject's previous contribution to its new one (null: none, e.g.
 * created or merged away), in the caller's transaction. Keys are applied in sorted order so
 * concurrent transactions lock rows in the same order (no deadlock on PostgreSQL).
 */
export async function applySlaOutcomes(
  s: { db: Executor },
  before: SlaOutcome | null,
  after: SlaOutcome | null,
): Promise<void> {
  const delta = sumRows([
    ...(before ? outcomeRows(before).map((r) => ({ ...r, sign: -1 as const })) : []),
    ...(after ? outcomeRows(after) : []),
  ]);
  for (const r of delta) {
    await own(s.db)
      .insertInto('sla_daily')
      .values(r)
      .onConflict((oc) =>
        oc.columns([...keyCols]).doUpdateSet({
          n: sql`sla_daily.n + excluded.n`,
          minutes_centi: sql`sla_daily.minutes_centi + excluded.minutes_centi`,
        }),
      )
      .execute();
  }
}

/** What the rollup holds for a workspace's subjects of one type (rows that count), sorted by key. */
export async function storedSlaDaily(s: { db: Executor }, workspaceId: string, subjectType: string) {
  const rows = await own(s.db)
    .selectFrom('sla_daily')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('subject_type', '=', subjectType)
    .execute();
  return sumRows(rows.map((r) => ({ ...r, n: Number(r.n), minutes_centi: Number(r.minutes_centi) })));
}

/** Replaces a workspace's rollup of one subject type with the given contributions (repairs, imports). */
export async function rebuildSlaDaily(
  s: { db: Executor },
  workspaceId: string,
  subjectType: string,
  outcomes: Iterable<SlaOutcome>,
): Promise<void> {
  await own(s.db)
    .deleteFrom('sla_daily')
    .where('workspace_id', '=', workspaceId)
    .where('subject_type', '=', subjectType)
    .execute();
  const rows = sumRows([...outcomes].flatMap(outcomeRows));
  for (let i = 0; i < rows.length; i += 500)
    await own(s.db)
      .insertInto('sla_daily')
      .values(rows.slice(i, i + 500))
      .execute();
}

export type SlaTotals = {
  subjects: number;
  targets: Record<string, { met: number; breached: number; open: number }>;
  /** Per target, the fulfilled times as histogram buckets (ascending): count and exact sum. */
  minutes: Record<string, { n: number; sum: number }[]>;
};

/** Sums the days [fromDay, toDay] (inclusive, YYYY-MM-DD) of a workspace's subjects of one type. */
export async function slaTotals(
  s: { db: Executor },
  workspaceId: string,
  subjectType: string,
  fromDay: string,
  toDay: string,
): Promise<SlaTotals> {
  const rows = await own(s.db)
    .selectFrom('sla_daily')
    .select(['target', 'outcome', 'bucket'])
    .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('minutes_centi').as('c')])
    .where('workspace_id', '=', workspaceId)
    .where('subject_type', '=', subjectType)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .groupBy(['target', 'outcome', 'bucket'])
    .execute();
  const out: SlaTotals = { subjects: 0, targets: {}, minutes: {} };
  const buckets = new Map<string, Map<number, { n: number; sum: number }>>();
  for (const r of rows) {
    const n = Number(r.n);
    if (!n) continue;
    if (r.target === '*') {
      out.subjects += n;
      continue;
    }
    const t = (out.targets[r.target] ??= { met: 0, breached: 0, open: 0 });
    t[r.outcome as 'met' | 'breached' | 'open'] += n;
    if (r.bucket < 0) continue;
    // A met and a breached time may share a bucket: one histogram per target.
    const byBucket = buckets.get(r.target) ?? new Map<number, { n: number; sum: number }>();
    const b = byBucket.get(Number(r.bucket)) ?? { n: 0, sum: 0 };
    b.n += n;
    b.sum += Number(r.c) / 100;
    byBucket.set(Number(r.bucket), b);
    buckets.set(r.target, byBucket);
  }
  for (const [target, byBucket] of buckets)
    out.minutes[target] = [...byBucket.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
  return out;
}

/**
 * A quantile of a histogram, each bucket standing for its count of values at its mean (exact
 * for a bucket holding one value), interpolated between neighbours like a sorted list would be.
 */
export function histogramQuantile(buckets: { n: number; sum: number }[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b.n, 0);
  if (!total) return null;
  const pos = (total - 1) * q;
  const valueAt = (i: number) => {
    let seen = 0;
    for (const b of buckets) {
      seen += b.n;
      if (i < seen) return b.sum / b.n;
    }
    return buckets[buckets.length - 1].sum / buckets[buckets.length - 1].n;
  };
  const lo = valueAt(Math.floor(pos));
  const hi = valueAt(Math.ceil(pos));
  return Math.round((lo + (hi - lo) * (pos - Math.floor(pos))) * 100) / 100;
}
