/**
 * SLA achievement for a period (what the monthly reports will show): per target how many tickets
 * met or breached it, and first-response and resolution times in business minutes (median, p90),
 * from the clocks the server computed with each ticket's policy snapshot. Read from the daily
 * rollup (sla module, kept as clocks change), so the cost follows the number of days, not of
 * tickets. A period counts whole days in the workspace's time zone: every day it touches.
 */
import type { Executor } from '../../db/index.ts';
import { isoDateOfDay, localDayOf } from '../../lib/time/index.ts';
import { histogramQuantile, slaTotals } from '../sla/index.ts';
import { getWorkspace } from '../workspaces/index.ts';

export async function slaAchievement(db: Executor, workspaceId: string, from: string, to: string) {
  const { timezone } = await getWorkspace({ db }, workspaceId);
  // `to` is exclusive: a period ending at midnight does not touch the next day.
  const fromDay = isoDateOfDay(localDayOf(timezone, Date.parse(from)));
  const toDay = isoDateOfDay(localDayOf(timezone, Math.max(Date.parse(from), Date.parse(to) - 1)));
  const totals = await slaTotals({ db }, workspaceId, 'ticket', fromDay, toDay);
  const minutes = (target: string) => {
    const h = totals.minutes[target] ?? [];
    return {
      median: histogramQuantile(h, 0.5),
      p90: histogramQuantile(h, 0.9),
      count: h.reduce((a, b) => a + b.n, 0),
    };
  };
  return {
    from,
    to,
    days: { from: fromDay, to: toDay, timeZone: timezone },
    tickets: totals.subjects,
    targets: Object.fromEntries(
      Object.entries(totals.targets).map(([k, v]) => [
        k,
        { ...v, achievement: v.met + v.breached ? Math.round((v.met / (v.met + v.breached)) * 10000) / 100 : null },
      ]),
    ),
    firstResponseMinutes: minutes('firstResponse'),
    resolutionMinutes: minutes('resolution'),
  };
}
