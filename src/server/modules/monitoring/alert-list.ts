/** The alerts as the console and the API list them. */
import type { Executor } from '../../db/index.ts';
import type { AlertState } from './alerts.ts';
import { own } from './schema.ts';
import type { Labels } from './store.ts';

export type AlertView = {
  id: string;
  rule: string;
  group: string;
  state: AlertState;
  severity: string | null;
  labels: Labels;
  annotations: Record<string, string>;
  value: number | null;
  activeAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  suppressedBy: string | null;
};

export async function listAlerts(db: Executor, state?: AlertState, limit = 500): Promise<AlertView[]> {
  let q = own(db).selectFrom('monitoring_alerts').selectAll().orderBy('active_at', 'desc').limit(limit);
  if (state) q = q.where('state', '=', state);
  return (await q.execute()).map((r) => ({
    id: r.id,
    rule: r.rule,
    group: r.group_name,
    state: r.state as AlertState,
    severity: r.severity,
    labels: JSON.parse(r.labels) as Labels,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    value: r.value,
    activeAt: r.active_at,
    firedAt: r.fired_at,
    resolvedAt: r.resolved_at,
    suppressedBy: r.suppressed_by,
  }));
}
