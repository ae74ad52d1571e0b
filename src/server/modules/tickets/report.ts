/**
 * SLA achievement for a period (what the monthly reports will show): per target how many tickets
 * met or breached it, and first-response and resolution times in business minutes (median, p90),
 * from the clocks the server computed with each ticket's policy snapshot. Read from the daily
 * rollup (sla module, kept as clocks change), so the cost follows the number of days, not of
 * tickets. A period counts whole days in the workspace's time zone: every day it touches.
 */
import type { Executor } from '../../db/index.ts';
import { dayNumber, isoDateOfDay, localDayOf } from '../../lib/time/index.ts';
import { histogramQuantile, slaTotals } from '../sla/index.ts';
import { getWorkspace } from '../workspaces/index.ts';

export async function slaAchievement(db: Executor, workspaceId: string, from: string, to: string) {
  const { timezone } = await getWorkspace({ db }, workspaceId);
  const day = (x: string, exclusiveEnd: boolean): number => {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(x);
    if (d) return dayNumber(Number(d[1]), Number(d[2]), Number(d[3])) - (exclusiveEnd ? 1 : 0);
    // An instant: the day it falls on; as the (exclusive) end, the day of the instant just before.
    return localDayOf(timezone, Date.parse(x) - (exclusiveEnd ? 1 : 0));
  };
  const first = day(from, false);
  const fromDay = isoDateOfDay(first);
  const toDay = isoDateOfDay(Math.max(first, day(to, true)));
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
