/**
 * Which backups to keep, with restic's semantics (`forget --keep-*`): going from the newest to
 * the oldest, a rule keeps a backup when it is the newest one of a period (day, ISO week, month
 * in the installation's time zone) that rule has not seen yet, until the rule has kept its count.
 * Each kept backup records every rule that keeps it. Pure: no clock, no I/O.
 *
 * The contract's defaults: the newest 7 days, 4 weeks and 12 months (off-site targets: months).
 * Every backup is a full one (it restores on its own) and stores only what changed, so "daily
 * incremental" and "weekly full" are the same backups, kept for different reasons.
 */
import type { Retention } from '../../../shared/backups-api.ts';
import { dateOfDay, localDayOf } from '../../lib/time/zoned-time.ts';

export const keepRules = ['last', 'daily', 'weekly', 'monthly'] as const;
export type KeepRule = (typeof keepRules)[number];
export type RetentionPolicy = Record<KeepRule, number>;

/** The policy of a retention setting: its counts, and the newest backup always. */
export const policyOf = (r: Retention): RetentionPolicy => ({ last: 1, ...r });

/** What a target keeps: its own retention, else the installation's for on-site or off-site targets. */
export function retentionFor(
  installation: { onsite: Retention; offsite: Retention },
  target: { offsite: boolean; retention: Retention | null },
): Retention {
  return target.retention ?? (target.offsite ? installation.offsite : installation.onsite);
}

type Dated = { id: string; createdAt: string };

/** The period a backup falls in, per rule: a backup's own id, its local day, ISO week (from Monday), month. */
export function periodOf(rule: KeepRule, b: Dated, timeZone: string): string {
  if (rule === 'last') return b.id;
  const day = localDayOf(timeZone, Date.parse(b.createdAt));
  if (rule === 'daily') return `d${day}`;
  // Day 0 (1970-01-01) was a Thursday: shifting by 3 makes weeks start on Monday.
  if (rule === 'weekly') return `w${Math.floor((day + 3) / 7)}`;
  const d = dateOfDay(day);
  return `m${d.year * 12 + d.month}`;
}

export type RetentionPlan<T extends Dated> = { keep: { backup: T; reasons: KeepRule[] }[]; remove: T[] };

export function planRetention<T extends Dated>(
  backups: readonly T[],
  policy: RetentionPolicy,
  timeZone: string,
): RetentionPlan<T> {
  const newestFirst = [...backups].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );
  const left = { ...policy };
  const lastPeriod: Partial<Record<KeepRule, string>> = {};
  const plan: RetentionPlan<T> = { keep: [], remove: [] };
  for (const b of newestFirst) {
    const reasons: KeepRule[] = [];
    for (const rule of keepRules) {
      if (left[rule] <= 0) continue;
      const p = periodOf(rule, b, timeZone);
      if (p === lastPeriod[rule]) continue;
      lastPeriod[rule] = p;
      left[rule]--;
      reasons.push(rule);
    }
    if (reasons.length) plan.keep.push({ backup: b, reasons });
    else plan.remove.push(b);
  }
  return plan;
}

/** Chunks that no kept backup references: the only ones prune may delete. */
export function unreferencedChunks(
  present: Iterable<string>,
  kept: readonly { files: readonly { chunks: readonly string[] }[] }[],
): string[] {
  const needed = new Set(kept.flatMap((m) => m.files.flatMap((f) => f.chunks)));
  return [...present].filter((id) => !needed.has(id));
}
