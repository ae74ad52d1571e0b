/**
 * Re-notifying firing alerts, as Uptime Kuma's "resend notification every N checks" and
 * Alertmanager's `repeat_interval` do: an alert that carries a `probe` label whose probe sets
 * `resendEvery: N` (N > 0) publishes `alert.firing` again (with `repeat` counting up) every N of the
 * probe's intervals while it still fires and nothing suppresses it. 0 (the default) notifies once.
 */
import { parseDuration } from '../../../shared/ops-api.ts';
import type { Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { definitionOf, listProbes } from './probes.ts';
import { own, type MonitoringAlertsTable } from './schema.ts';
import type { Labels } from './store.ts';

/** Probe name → milliseconds between notifications, for the probes that resend. */
export async function resendPeriods(db: Executor): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const row of await listProbes(db)) {
    const d = definitionOf(row);
    if (d.resendEvery > 0) out.set(d.name, d.resendEvery * parseDuration(d.interval));
  }
  return out;
}

/** Whether a notified, firing alert is due to be notified again at `now`. */
export function resendDue(
  row: Pick<MonitoringAlertsTable, 'labels' | 'notified_at' | 'fired_at' | 'active_at'>,
  periods: ReadonlyMap<string, number>,
  now: number,
): boolean {
  const probe = (JSON.parse(row.labels) as Labels).probe;
  const period = probe === undefined ? undefined : periods.get(probe);
  if (!period) return false;
  const last = Date.parse(row.notified_at ?? row.fired_at ?? row.active_at);
  return now - last >= period;
}

/**
 * The re-notifications due at `now`, as steps of the evaluator's notify pass: each a
 * compare-and-set on the alert's count with the event it publishes, so of two evaluators one sends.
 * A suppressed alert (silence, maintenance, inhibition) is not re-notified while suppressed.
 */
export async function resendSteps(
  s: Services,
  now: number,
  suppressed: (labels: Labels) => boolean,
  announce: (tx: Services, row: MonitoringAlertsTable, type: 'alert.firing', repeat: number) => Promise<void>,
): Promise<((tx: Services) => Promise<void>)[]> {
  const periods = await resendPeriods(s.db);
  if (!periods.size) return [];
  const firing = await own(s.db)
    .selectFrom('monitoring_alerts')
    .selectAll()
    .where('state', '=', 'firing')
    .where('notified', '=', 1)
    .execute();
  const at = new Date(now).toISOString();
  return firing
    .filter((row) => resendDue(row, periods, now) && !suppressed(JSON.parse(row.labels) as Labels))
    .map((row) => async (tx: Services) => {
      const r = await own(tx.db)
        .updateTable('monitoring_alerts')
        .set({ notified_at: at, notify_count: row.notify_count + 1 })
        .where('id', '=', row.id)
        .where('notify_count', '=', row.notify_count)
        .where('state', '=', 'firing')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows)) await announce(tx, row, 'alert.firing', row.notify_count + 1);
    });
}
