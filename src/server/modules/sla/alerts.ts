/**
 * Warnings and breaches of a clock, recorded once per target cycle whoever computes the clock
 * (a unique index: two workers or a restart neither double nor lose one), and announced as
 * `sla.warning` / `sla.breached` in the caller's unit of work. What follows (notifications,
 * escalation, the ticket's timeline) are listeners of those events.
 */
import { publish, type Services } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import type { ClockResult } from './clock.ts';
import type { SlaAlertEvent } from './events.ts';
import { own } from './schema.ts';

export type Alert = { target: string; kind: 'warning' | 'breach'; cycle: number; at: string };

export type AlertSubject = Omit<SlaAlertEvent, 'target' | 'cycle' | 'at'> & { workspaceId: string };

/** The alerts a clock result calls for now (a breach outranks the warning of the same cycle). */
export function dueAlerts(result: ClockResult): Alert[] {
  const out: Alert[] = [];
  for (const [target, c] of Object.entries(result.targets)) {
    if (!c) continue;
    if (c.breached && c.breachedAt)
      out.push({ target, kind: 'breach', cycle: c.cycle, at: c.breachedAt.toISOString() });
    else if (c.warning && c.warnAt) out.push({ target, kind: 'warning', cycle: c.cycle, at: c.warnAt.toISOString() });
  }
  return out;
}

/** Records the due alerts not recorded yet and publishes an event for each; returns the new ones. */
export async function raiseAlerts(s: Services, subject: AlertSubject, result: ClockResult): Promise<Alert[]> {
  const fresh: Alert[] = [];
  const now = s.clock.now().toISOString();
  for (const a of dueAlerts(result)) {
    const inserted = await own(s.db)
      .insertInto('sla_alerts')
      .values({
        id: newId('sla'),
        workspace_id: subject.workspaceId,
        subject_type: subject.subject.type,
        subject_id: subject.subject.id,
        target: a.target,
        kind: a.kind,
        cycle: a.cycle,
        at: a.at,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['subject_type', 'subject_id', 'target', 'kind', 'cycle']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    fresh.push(a);
    const { workspaceId, ...data } = subject;
    await publish(
      s,
      a.kind === 'breach' ? 'sla.breached' : 'sla.warning',
      workspaceId,
      subject.subject.type,
      subject.subject.id,
      {
        ...data,
        target: a.target,
        cycle: a.cycle,
        at: a.at,
      },
    );
  }
  return fresh;
}
