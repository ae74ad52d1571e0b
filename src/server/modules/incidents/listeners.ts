/**
 * What follows an incident's clock alerts: a timeline entry for every warning and breach, and at
 * a resolution breach the vendor's technical director steps in (技术总监介入), recorded once,
 * with the merchant's contacts named for the notifiers.
 */
import { publish, type Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import type { ModuleListener } from '../../module.ts';
import { onAlertFiring, onAlertResolved, onAlertsFiring } from './alerts.ts';
import { contractOf } from './contracts.ts';
import { workspaceLanguage } from '../workspaces/index.ts';
import { incidentWords } from './messages.ts';
import { addTimeline } from './model.ts';
import { notifyIncident, personMail } from './notify.ts';
import { scheduleReack, startEscalation } from './oncall/escalate.ts';
import { queueMail } from '../../lib/mailer.ts';
import { own, type IncidentsTable } from './schema.ts';

const system = { type: 'system' as const, id: null, name: null };

/** The technical director's e-mail at a resolution breach (技术总监介入), with their own signed link. */
export const directorMail = (s: Services, incident: IncidentsTable, to: string, director: string) =>
  personMail(s, incident, to, (w) => ({ subject: w.directorSubject(incident), intro: w.directorText(director) }));

async function onAlert(e: DomainEvent<'sla.warning' | 'sla.breached'>, s: Services): Promise<void> {
  if (e.data.subject.type !== 'incident') return;
  const db = own(s.db);
  const incident = await db.selectFrom('incidents').selectAll().where('id', '=', e.data.subject.id).executeTakeFirst();
  if (!incident) return;
  const breach = e.type === 'sla.breached';
  // The instant the target was passed (a worker may notice it up to a minute later).
  const now = e.data.at;
  const { target, at } = e.data;
  await addTimeline(s.db, incident, system, breach ? 'sla_breach' : 'sla_warning', now, {
    target,
    at,
    workspaceId: e.workspaceId,
  });
  if (!breach || target !== 'resolve') return;
  const { settings } = await contractOf(s, e.workspaceId);
  await db
    .updateTable('incidents')
    .set({ director_engaged_at: now })
    .where('id', '=', incident.id)
    .where('director_engaged_at', 'is', null)
    .execute();
  const director = settings.technicalDirector?.name ?? '-';
  const w = incidentWords[await workspaceLanguage(s, e.workspaceId)];
  // The director gets a signed link of their own (acknowledge, or the incident's state without signing in).
  if (settings.technicalDirector?.email)
    await queueMail(s, e.workspaceId, await directorMail(s, incident, settings.technicalDirector.email, director));
  for (const p of settings.contacts)
    if (p.email)
      await queueMail(s, e.workspaceId, {
        to: p.email,
        subject: `[${incident.severity}] ${w.directorSubject(incident)}`,
        text: w.contactText(incident, w.directorText(director)),
      });
  await addTimeline(
    s.db,
    incident,
    system,
    'director_engaged',
    now,
    { director, contacts: settings.contacts.map((c) => c.name), workspaceId: e.workspaceId },
    true,
  );
  await publish(s, 'incident.director_engaged', incident.workspace_id, 'incident', incident.id, {
    number: incident.number,
    title: incident.title,
    workspaceIdOfContract: e.workspaceId,
    director,
    contacts: settings.contacts.map((c) => c.name),
  });
}

async function onDeclared(e: DomainEvent<'incident.declared' | 'incident.director_engaged'>, s: Services) {
  const incident = await own(s.db).selectFrom('incidents').selectAll().where('id', '=', e.objectId!).executeTakeFirst();
  if (!incident) return;
  await notifyIncident(s, incident, e.type === 'incident.declared' ? 'declared' : 'director_engaged');
  if (e.type === 'incident.declared') await startEscalation(s, incident);
}

async function onAcknowledged(e: DomainEvent<'incident.acknowledged'>, s: Services) {
  await scheduleReack(s, { id: e.objectId!, workspace_id: e.workspaceId });
}

/** Re-triggered by a person or an alert: the escalation policy runs again from its first step. */
async function onStateChanged(e: DomainEvent<'incident.state_changed'>, s: Services) {
  if (e.data.to !== 'triggered' || e.data.via === 'escalation') return;
  const incident = await own(s.db).selectFrom('incidents').selectAll().where('id', '=', e.objectId!).executeTakeFirst();
  if (incident) await startEscalation(s, incident);
}

export const incidentListeners: ModuleListener[] = [
  { name: 'sla_alert', on: ['sla.warning', 'sla.breached'], handle: (e, s) => onAlert(e as never, s) },
  {
    name: 'notify',
    on: ['incident.declared', 'incident.director_engaged'],
    handle: (e, s) => onDeclared(e as never, s),
  },
  { name: 'acknowledged', on: ['incident.acknowledged'], handle: (e, s) => onAcknowledged(e as never, s) },
  { name: 'retriggered', on: ['incident.state_changed'], handle: (e, s) => onStateChanged(e as never, s) },
  {
    name: 'alert_firing',
    on: ['alert.firing'],
    handle: (e, s) => onAlertFiring(e as never, s),
    // A storm's alerts in runs: one transaction, one look-up of the open incidents, one write each.
    handleBatch: (es, s) => onAlertsFiring(es as never, s),
  },
  { name: 'alert_resolved', on: ['alert.resolved'], handle: (e, s) => onAlertResolved(e as never, s) },
];
