/**
 * The daily report's SLA risk at the period's end (docs/REPORTS.md "SLA risk"): the stored
 * deadlines of the workspace's open incidents, and every open ticket's clock recomputed as of the
 * end with the sla module's engine from the ticket's policy snapshot and its timeline up to then.
 */
import type { Db } from '../../db/index.ts';
import { dayPlan, isoDateOfDay, localDayOf, localToInstant, type Calendar } from '../../lib/time/index.ts';
import { computeClock, ticketProfile, type TicketSla } from '../sla/index.ts';
import { slaEventsOf } from '../tickets/index.ts';
import { across } from './schema.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const chunk = <T>(xs: readonly T[], n = 500): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export type IncidentClockRow = { incidentId: string; respondBy: number; resolveBy: number };
export type TicketRiskRow = {
  id: string;
  number: number;
  subject: string;
  target: string;
  dueAt: number;
  /** The end of the next working day of the ticket's calendar after the period's end (the horizon). */
  horizon: number;
};
export type SlaRisk = { incidentClocks: IncidentClockRow[]; tickets: TicketRiskRow[] };

/**
 * The end of the next working day at or after `end`: the first local day of the calendar's zone
 * from `end`'s day on that has working hours (any day when the policy counts wall time), up to
 * its following midnight. A calendar without a working day in 60 days gives `end` + 60 days.
 */
export function nextWorkingDayEnd(calendar: Calendar, businessHours: boolean, end: number): number {
  const zone = calendar.timezone;
  const first = localDayOf(zone, end);
  for (let d = first; d < first + 60; d++)
    if (!businessHours || dayPlan(calendar, isoDateOfDay(d)).hours.length) return localToInstant(zone, d + 1, 0);
  return end + 60 * 86_400_000;
}

/** Deadlines of the given incidents' clocks for this workspace (incident_clocks: one per affected workspace). */
export async function loadIncidentClocks(
  db: Db,
  workspaceId: string,
  incidentIds: readonly string[],
): Promise<IncidentClockRow[]> {
  const out: IncidentClockRow[] = [];
  for (const ids of chunk(incidentIds)) {
    const rows = await across(db)
      .selectFrom('incident_clocks')
      .select(['incident_id', 'respond_by', 'resolve_by'])
      .where('workspace_id', '=', workspaceId)
      .where('incident_id', 'in', ids)
      .execute();
    for (const r of rows)
      out.push({ incidentId: r.incident_id, respondBy: Date.parse(r.respond_by), resolveBy: Date.parse(r.resolve_by) });
  }
  return out.sort((a, b) => (a.incidentId < b.incidentId ? -1 : 1));
}

/**
 * Ticket targets at risk at `end`: running (neither fulfilled nor paused) and due before the end
 * of the next working day, breached ones included. Tickets that may have been open at `end`: not
 * merged, created before it, and either not solved/closed now or changed since.
 */
export async function loadTicketRisk(db: Db, workspaceId: string, end: number): Promise<TicketRiskRow[]> {
  const tickets = await across(db)
    .selectFrom('tickets')
    .select(['id', 'number', 'subject', 'sla'])
    .where('workspace_id', '=', workspaceId)
    .where('merged_into_id', 'is', null)
    .where('sla', 'is not', null)
    .where('created_at', '<', iso(end))
    .where((eb) => eb.or([eb('status', 'not in', ['solved', 'closed']), eb('updated_at', '>=', iso(end))]))
    .orderBy('number')
    .execute();
  const out: TicketRiskRow[] = [];
  const now = new Date(end);
  for (const batch of chunk(tickets)) {
    const events = await across(db)
      .selectFrom('ticket_events')
      .select(['ticket_id', 'type', 'data', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where(
        'ticket_id',
        'in',
        batch.map((t) => t.id),
      )
      .where('created_at', '<', iso(end))
      .orderBy('ticket_id')
      .orderBy('id')
      .execute();
    const byTicket = new Map<string, typeof events>();
    for (const e of events) {
      const list = byTicket.get(e.ticket_id) ?? [];
      list.push(e);
      byTicket.set(e.ticket_id, list);
    }
    for (const t of batch) {
      const history = slaEventsOf(byTicket.get(t.id) ?? []);
      if (!history.some((e) => e.type === 'created')) continue;
      const sla = JSON.parse(t.sla!) as TicketSla;
      const clock = computeClock(history, sla.policy, sla.calendar, now, ticketProfile);
      const horizon = nextWorkingDayEnd(sla.calendar, sla.policy.businessHours !== false, end);
      for (const [target, c] of Object.entries(clock.targets)) {
        if (!c || c.fulfilledAt || c.paused || c.dueAt.getTime() >= horizon) continue;
        out.push({ id: t.id, number: t.number, subject: t.subject, target, dueAt: c.dueAt.getTime(), horizon });
      }
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.number - b.number);
}
