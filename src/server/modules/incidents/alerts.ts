/**
 * Alerts → incidents. A firing alert whose `severity` label is P1–P3 opens an incident of that
 * severity for the workspaces the alert affects (unless its rule's `incident` label is "none").
 * Alerts are grouped (`alertGroupKey`: rule, component, grade, workspaces): a firing alert whose
 * group has an open incident — a re-firing of the same alert, or another instance of the same
 * rule — joins its timeline instead of opening another. When the group's last firing alert
 * resolves, the incident is marked mitigated: people resolve it.
 */
import { createHash } from 'node:crypto';
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import { alertText } from '../../../shared/alert-summary.ts';
import type { AlertEvent } from '../monitoring/index.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { addTimeline, openStates } from './model.ts';
import { own, type IncidentsTable } from './schema.ts';
import { declareIncident, transitionIncident } from './service.ts';

const system = { type: 'system' as const, id: null, name: null };

/**
 * The alert group an alert belongs to, as a pager groups Alertmanager's alerts: its rule, component,
 * grade and affected workspaces. One open incident per group: a rule firing for a hundred
 * instances (or a storm after one outage) opens one incident and fills its timeline.
 */
export function alertGroupKey(a: AlertEvent): string {
  const parts = [a.group, a.rule, a.component ?? '', a.severity ?? '', [...a.workspaceIds].sort().join(',')];
  return `group:${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}

/** The open incident of the alert's group (or, for incidents opened before grouping, of the alert itself). */
async function openIncidentOf(s: Services, a: AlertEvent): Promise<IncidentsTable | undefined> {
  return own(s.db)
    .selectFrom('incidents')
    .selectAll()
    .where('fingerprint', 'in', [alertGroupKey(a), a.fingerprint])
    .where('state', 'in', [...openStates])
    .orderBy('declared_at', 'desc')
    .executeTakeFirst();
}

async function isMember(s: Services, incident: IncidentsTable, fingerprint: string): Promise<boolean> {
  if (incident.fingerprint === fingerprint) return true; // opened before grouping, by this alert
  const row = await own(s.db)
    .selectFrom('incident_alerts')
    .select('fingerprint')
    .where('incident_id', '=', incident.id)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return !!row;
}

/** Records whether a member alert of the incident fires. */
async function markMember(s: Services, incident: IncidentsTable, fingerprint: string, firing: boolean): Promise<void> {
  const row = {
    incident_id: incident.id,
    workspace_id: incident.workspace_id,
    fingerprint,
    firing: firing ? 1 : 0,
    updated_at: s.clock.now().toISOString(),
  };
  await own(s.db)
    .insertInto('incident_alerts')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['incident_id', 'fingerprint']).doUpdateSet({ firing: row.firing, updated_at: row.updated_at }),
    )
    .execute();
}

/** The workspace's language: an incident's title and timeline are stored once, in it. */
const languageOf = async (s: Services, workspaceId: string) => (await getWorkspace(s, workspaceId)).defaultLanguage;

const alertData = (a: AlertEvent, language: string) => ({
  alertId: a.alertId,
  rule: a.rule,
  severity: a.severity,
  component: a.component,
  summary: alertText(a.annotations, 'summary', language) ?? null,
  startsAt: a.startsAt,
  endsAt: a.endsAt,
  value: a.value,
});

export async function onAlertFiring(e: DomainEvent<'alert.firing'>, s: Services): Promise<void> {
  const a = e.data;
  if (!a.severity || ['none', 'false'].includes(a.labels.incident ?? '')) return;
  const open = await openIncidentOf(s, a);
  const language = await languageOf(s, e.workspaceId);
  // A mitigated incident (its alerts all stopped) takes back only an alert it already had: another
  // alert of the group firing then is a new problem.
  if (open && (open.state !== 'mitigated' || (await isMember(s, open, a.fingerprint)))) {
    await addTimeline(s.db, open, system, 'alert', s.clock.now().toISOString(), alertData(a, language));
    await markMember(s, open, a.fingerprint, true);
    return;
  }
  const incident = await declareIncident(s, e.workspaceId, {
    title: (alertText(a.annotations, 'summary', language) || a.rule).slice(0, 200),
    description: (alertText(a.annotations, 'description', language) ?? '').slice(0, 10_000),
    severity: a.severity,
    mode: a.labels.mode === 'drill' ? 'drill' : 'real',
    component: a.component ?? undefined,
    workspaceIds: a.workspaceIds.length ? a.workspaceIds : [e.workspaceId],
    declaredAt: new Date(Math.min(Date.parse(a.startsAt), s.clock.now().getTime())).toISOString(),
    source: 'alert',
    fingerprint: alertGroupKey(a),
  });
  await addTimeline(s.db, incident, system, 'alert', s.clock.now().toISOString(), alertData(a, language));
  await markMember(s, incident, a.fingerprint, true);
}

export async function onAlertResolved(e: DomainEvent<'alert.resolved'>, s: Services): Promise<void> {
  const a = e.data;
  const open = await openIncidentOf(s, a);
  if (!open) return;
  const language = await languageOf(s, e.workspaceId);
  await addTimeline(s.db, open, system, 'alert_resolved', s.clock.now().toISOString(), alertData(a, language));
  await markMember(s, open, a.fingerprint, false);
  // Mitigated when the group's last firing alert has resolved.
  const stillFiring = await own(s.db)
    .selectFrom('incident_alerts')
    .select('fingerprint')
    .where('incident_id', '=', open.id)
    .where('firing', '=', 1)
    .executeTakeFirst();
  if (stillFiring) return;
  if (open.state === 'triggered' || open.state === 'acknowledged')
    await transitionIncident(s, open.workspace_id, open.id, 'mitigated', { via: 'alert', actor: system });
}
