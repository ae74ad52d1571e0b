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
import { addTimeline, addTimelines, openStates, timelineRow } from './model.ts';
import { own, type IncidentAlertsTable, type IncidentsTable, type IncidentTimelineTable } from './schema.ts';
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
  return (await openIncidents(s, [alertGroupKey(a), a.fingerprint]))[0];
}

/** The open incidents opened by these groups or alerts, the latest declared first. */
async function openIncidents(s: Services, fingerprints: string[]): Promise<IncidentsTable[]> {
  return own(s.db)
    .selectFrom('incidents')
    .selectAll()
    .where('fingerprint', 'in', fingerprints)
    .where('state', 'in', [...openStates])
    .orderBy('declared_at', 'desc')
    .execute();
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

const memberRow = (
  incident: IncidentsTable,
  fingerprint: string,
  firing: boolean,
  at: string,
): IncidentAlertsTable => ({
  incident_id: incident.id,
  workspace_id: incident.workspace_id,
  fingerprint,
  firing: firing ? 1 : 0,
  updated_at: at,
});

/** Records whether member alerts of incidents fire (one statement; one row per incident and alert). */
async function markMembers(s: Services, rows: IncidentAlertsTable[]): Promise<void> {
  if (!rows.length) return;
  await own(s.db)
    .insertInto('incident_alerts')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['incident_id', 'fingerprint']).doUpdateSet((eb) => ({
        firing: eb.ref('excluded.firing'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
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
  await onAlertsFiring([e], s);
}

/**
 * Firing alerts, in order (one event, or a storm's run of them delivered as one batch): the effect
 * of taking them one at a time — each joins its group's open incident or opens one — with one
 * look-up of the open incidents for the run (again only after it opened one), and its timeline
 * entries and memberships written as one statement each at the end (or before a read that needs
 * them: a membership check, a declaration).
 */
export async function onAlertsFiring(events: DomainEvent<'alert.firing'>[], s: Services): Promise<void> {
  const graded = events.filter((e) => e.data.severity && !['none', 'false'].includes(e.data.labels.incident ?? ''));
  if (!graded.length) return;
  const groups = graded.map((e) => alertGroupKey(e.data));
  const keys = [...new Set([...groups, ...graded.map((e) => e.data.fingerprint)])];
  const languages = new Map<string, Promise<string>>();
  const timeline: IncidentTimelineTable[] = [];
  const members = new Map<string, IncidentAlertsTable>();
  const flush = async () => {
    await addTimelines(s.db, timeline.splice(0));
    await markMembers(s, [...members.values()]);
    members.clear();
  };
  let open = await openIncidents(s, keys);
  for (const [i, e] of graded.entries()) {
    const a = e.data;
    let incident = open.find((x) => x.fingerprint === groups[i] || x.fingerprint === a.fingerprint);
    let language = languages.get(e.workspaceId);
    if (!language) languages.set(e.workspaceId, (language = languageOf(s, e.workspaceId)));
    const lang = await language;
    // A mitigated incident (its alerts all stopped) takes back only an alert it already had: another
    // alert of the group firing then is a new problem.
    if (incident?.state === 'mitigated') {
      await flush();
      if (!(await isMember(s, incident, a.fingerprint))) incident = undefined;
    }
    if (!incident) {
      await flush();
      incident = await declareIncident(s, e.workspaceId, {
        title: (alertText(a.annotations, 'summary', lang) || a.rule).slice(0, 200),
        description: (alertText(a.annotations, 'description', lang) ?? '').slice(0, 10_000),
        severity: a.severity!,
        mode: a.labels.mode === 'drill' ? 'drill' : 'real',
        component: a.component ?? undefined,
        workspaceIds: a.workspaceIds.length ? a.workspaceIds : [e.workspaceId],
        declaredAt: new Date(Math.min(Date.parse(a.startsAt), s.clock.now().getTime())).toISOString(),
        source: 'alert',
        fingerprint: groups[i],
      });
      open = await openIncidents(s, keys);
    }
    const at = s.clock.now().toISOString();
    timeline.push(timelineRow(incident, system, 'alert', at, alertData(a, lang)));
    members.set(`${incident.id}\u0000${a.fingerprint}`, memberRow(incident, a.fingerprint, true, at));
  }
  await flush();
}

export async function onAlertResolved(e: DomainEvent<'alert.resolved'>, s: Services): Promise<void> {
  const a = e.data;
  const open = await openIncidentOf(s, a);
  if (!open) return;
  const language = await languageOf(s, e.workspaceId);
  const at = s.clock.now().toISOString();
  await addTimeline(s.db, open, system, 'alert_resolved', at, alertData(a, language));
  await markMembers(s, [memberRow(open, a.fingerprint, false, at)]);
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
