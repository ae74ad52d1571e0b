/**
 * Announcing an alert: the `alert.firing` / `alert.resolved` event (the incidents module consumes
 * it) in the home workspace, with the workspaces the alert affects.
 */
import { publish, type Services } from '../../context.ts';
import { homeWorkspaceId } from '../users/index.ts';
import { listWorkspaces, workspaceBySlug } from '../workspaces/index.ts';
import { workspacesDependingOn } from './components.ts';
import { severities, type AlertEvent, type Severity } from './events.ts';
import type { MonitoringAlertsTable } from './schema.ts';
import type { Labels } from './store.ts';

export const severityOf = (labels: Labels): Severity | null =>
  (severities as readonly string[]).includes(labels.severity ?? '') ? (labels.severity as Severity) : null;

/** The workspaces an alert affects: its `workspace` label's, else all that depend on its component, else all. */
async function affected(s: Services, labels: Labels): Promise<string[]> {
  if (labels.workspace) {
    const w = await workspaceBySlug(s, labels.workspace);
    return w ? [w.id] : [];
  }
  if (labels.component) return workspacesDependingOn(s, labels.component);
  return (await listWorkspaces(s)).map((w) => w.id);
}

/** The affected workspaces by what decides them (workspace, component, else all), for one pass. */
export type AffectedCache = Map<string, Promise<string[]>>;

/** `affected`, asked once per pass for a storm of alerts alike (thousands, one workspace list). */
function affectedIn(s: Services, labels: Labels, cache?: AffectedCache): Promise<string[]> {
  if (!cache) return affected(s, labels);
  const key = labels.workspace ? `w:${labels.workspace}` : labels.component ? `c:${labels.component}` : '*';
  let hit = cache.get(key);
  if (!hit) {
    cache.set(key, (hit = affected(s, labels)));
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

export async function announce(
  s: Services,
  row: MonitoringAlertsTable,
  type: 'alert.firing' | 'alert.resolved',
  repeat = 0,
  cache?: AffectedCache,
): Promise<void> {
  const home = await homeWorkspaceId(s);
  if (!home) return;
  const labels = JSON.parse(row.labels) as Labels;
  const payload: AlertEvent = {
    alertId: row.id,
    fingerprint: row.fingerprint,
    rule: row.rule,
    group: row.group_name,
    severity: severityOf(labels),
    component: labels.component ?? null,
    workspaceIds: await affectedIn(s, labels, cache),
    labels,
    annotations: JSON.parse(row.annotations) as Record<string, string>,
    activeAt: row.active_at,
    startsAt: row.fired_at ?? row.active_at,
    endsAt: row.resolved_at,
    value: row.value,
    ...(repeat ? { repeat } : {}),
  };
  await publish(s, type, home, 'alert', row.fingerprint, payload);
}
