/**
 * SLA achievement for a period (what the monthly reports will show): per target how many tickets
 * met or breached it, and first-response and resolution times in business minutes (median, p90),
 * from the clocks the server computed with each ticket's policy snapshot.
 */
import type { SlaState } from '../../../shared/tickets-api.ts';
import type { Executor } from '../../db/index.ts';
import { own } from './schema.ts';

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)) * 100) / 100;
}

export async function slaAchievement(db: Executor, workspaceId: string, from: string, to: string) {
  const rows = await own(db)
    .selectFrom('tickets')
    .select(['sla_state'])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .where('merged_into_id', 'is', null)
    .execute();
  const targets: Record<string, { met: number; breached: number; open: number }> = {};
  const first: number[] = [];
  const resolution: number[] = [];
  for (const r of rows) {
    if (!r.sla_state) continue;
    const st = JSON.parse(r.sla_state) as SlaState;
    for (const [name, c] of Object.entries(st.targets)) {
      const agg = (targets[name] ??= { met: 0, breached: 0, open: 0 });
      if (c.breached) agg.breached++;
      else if (c.fulfilledAt) agg.met++;
      else agg.open++;
      if (c.fulfilledAt && name === 'firstResponse') first.push(c.elapsedMinutes);
      if (c.fulfilledAt && name === 'resolution') resolution.push(c.elapsedMinutes);
    }
  }
  first.sort((a, b) => a - b);
  resolution.sort((a, b) => a - b);
  return {
    from,
    to,
    tickets: rows.length,
    targets: Object.fromEntries(
      Object.entries(targets).map(([k, v]) => [
        k,
        { ...v, achievement: v.met + v.breached ? Math.round((v.met / (v.met + v.breached)) * 10000) / 100 : null },
      ]),
    ),
    firstResponseMinutes: { median: quantile(first, 0.5), p90: quantile(first, 0.9), count: first.length },
    resolutionMinutes: { median: quantile(resolution, 0.5), p90: quantile(resolution, 0.9), count: resolution.length },
  };
}
