/**
 * Alerts → incidents. A firing alert whose `severity` label is P1–P3 opens an incident of that
 * severity for the workspaces the alert affects (unless its rule's `incident` label is "none");
 * a re-firing alert (same fingerprint) of an open incident joins its timeline instead of
 * opening another. When the alert resolves, the incident is marked mitigated: people resolve it.
 */
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import type { AlertEvent } from '../monitoring/index.ts';
import { addTimeline, openStates } from './model.ts';
import { own, type IncidentsTable } from './schema.ts';
import { declareIncident, transitionIncident } from './service.ts';

const system = { type: 'system' as const, id: null, name: null };

async function openIncidentOf(s: Services, fingerprint: string): Promise<IncidentsTable | undefined> {
  return own(s.db)
    .selectFrom('incidents')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .where('state', 'in', [...openStates])
    .orderBy('declared_at', 'desc')
    .executeTakeFirst();
}

const alertData = (a: AlertEvent) => ({
  alertId: a.alertId,
  rule: a.rule,
  severity: a.severity,
  component: a.component,
  summary: a.annotations.summary ?? null,
  startsAt: a.startsAt,
  endsAt: a.endsAt,
  value: a.value,
});

export async function onAlertFiring(e: DomainEvent<'alert.firing'>, s: Services): Promise<void> {
  const a = e.data;
  const open = await openIncidentOf(s, a.fingerprint);
  if (open) {
    await addTimeline(s.db, open, system, 'alert', s.clock.now().toISOString(), alertData(a));
    return;
  }
  if (!a.severity || ['none', 'false'].includes(a.labels.incident ?? '')) return;
  const incident = await declareIncident(s, e.workspaceId, {
    title: (a.annotations.summary || a.rule).slice(0, 200),
    description: (a.annotations.description ?? '').slice(0, 10_000),
    severity: a.severity,
    mode: a.labels.mode === 'drill' ? 'drill' : 'real',
    component: a.component ?? undefined,
    workspaceIds: a.workspaceIds.length ? a.workspaceIds : [e.workspaceId],
    declaredAt: new Date(Math.min(Date.parse(a.startsAt), s.clock.now().getTime())).toISOString(),
    source: 'alert',
    fingerprint: a.fingerprint,
  });
  await addTimeline(s.db, incident, system, 'alert', s.clock.now().toISOString(), alertData(a));
}

export async function onAlertResolved(e: DomainEvent<'alert.resolved'>, s: Services): Promise<void> {
  const a = e.data;
  const open = await openIncidentOf(s, a.fingerprint);
  if (!open) return;
  await addTimeline(s.db, open, system, 'alert_resolved', s.clock.now().toISOString(), alertData(a));
  if (open.state === 'triggered' || open.state === 'acknowledged')
    await transitionIncident(s, open.workspace_id, open.id, 'mitigated', { via: 'alert', actor: system });
}
