/**
 * A ticket's SLA clock: its history (timeline) run through the shared engine with the policy and
 * calendar snapshot it carries. Deadlines are rows (`next_check_at`, indexed) that the jobs
 * worker scans, never timers in memory. Warnings and breaches are raised through the sla module
 * (recorded once per target cycle); their consequences here (timeline, escalation) are a
 * listener, as notifications are the notifications module's listener.
 */
import type { SlaState } from '../../../shared/tickets-api.ts';
import { publish, unitOfWork, type Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import { customerTier } from '../customers/index.ts';
import {
  applySlaOutcomes,
  applicablePolicy,
  computeClock,
  nextCheckAt,
  raiseAlerts,
  ticketProfile,
  type Alert,
  type ClockResult,
  type SlaEvent,
  type TicketSla,
} from '../sla/index.ts';
import { supervisorOf } from '../teams/index.ts';
import { addEvent } from './model.ts';
import { lockedTicket, slaOutcomeOf } from './rollup.ts';
import { own, type TicketChange, type TicketsTable } from './schema.ts';

const priorityOrder = ['low', 'normal', 'high', 'urgent'];

/** The SLA history of a ticket, from its timeline. */
export async function slaEvents(s: Pick<Services, 'db'>, ticketId: string): Promise<SlaEvent[]> {
  const rows = await own(s.db)
    .selectFrom('ticket_events')
    .select(['type', 'data', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
  return slaEventsOf(rows);
}

/** The SLA events among a ticket's timeline rows (in timeline order; also the reports' SLA risk). */
export function slaEventsOf(rows: readonly { type: string; data: string; created_at: string }[]): SlaEvent[] {
  const out: SlaEvent[] = [];
  for (const r of rows) {
    const d = JSON.parse(r.data) as { status?: string; to?: string; public?: boolean };
    if (r.type === 'created') out.push({ at: r.created_at, type: 'created', status: d.status as SlaEvent['status'] });
    else if (r.type === 'status') out.push({ at: r.created_at, type: 'status', status: d.to as SlaEvent['status'] });
    else if (r.type === 'reply' && d.public)
      out.push({
        at: r.created_at,
        type: 'agent_reply',
        ...(d.status ? { status: d.status as SlaEvent['status'] } : {}),
      });
    else if (r.type === 'customer_reply')
      out.push({
        at: r.created_at,
        type: 'customer_reply',
        ...(d.status ? { status: d.status as SlaEvent['status'] } : {}),
      });
  }
  return out;
}

export function toSlaState(sla: TicketSla, r: ClockResult): SlaState {
  const targets: SlaState['targets'] = {};
  let next: number | null = null;
  for (const [name, c] of Object.entries(r.targets)) {
    if (!c) continue;
    targets[name] = {
      dueAt: c.dueAt.toISOString(),
      warnAt: c.warnAt?.toISOString() ?? null,
      elapsedMinutes: Math.round(c.elapsedMs / 600) / 100,
      remainingMinutes: Math.round(c.remainingMs / 600) / 100,
      paused: c.paused,
      fulfilledAt: c.fulfilledAt?.toISOString() ?? null,
      breachedAt: c.breachedAt?.toISOString() ?? null,
      breached: c.breached,
      warning: c.warning,
    };
    if (!c.fulfilledAt && !c.paused) next = Math.min(next ?? Infinity, c.dueAt.getTime());
  }
  return {
    policyId: sla.policyId,
    policyName: sla.policyName,
    businessHours: sla.policy.businessHours,
    computedAt: r.now.toISOString(),
    targets,
    nextDeadlineAt: next === null ? null : new Date(next).toISOString(),
  };
}

/**
 * Recomputes a ticket's clock: applies a policy if none yet (or re-matches after a change of the
 * facts policies look at), stores the state and the next check, and raises due alerts (once
 * each), all in the caller's unit of work. Returns the alerts raised now.
 */
export async function recompute(s: Services, ticketId: string, opts: { rematch?: boolean } = {}): Promise<Alert[]> {
  return unitOfWork(s, async (s) => {
    const db = own(s.db);
    const t = await lockedTicket(s, ticketId);
    const before = slaOutcomeOf(t);
    let sla = t.sla ? (JSON.parse(t.sla) as TicketSla) : null;
    if (!sla || opts.rematch) {
      const tier = t.customer_id ? await customerTier(s, t.customer_id) : null;
      const matched = await applicablePolicy(s, t.workspace_id, {
        priority: t.priority,
        type: t.type,
        channel: t.channel,
        groupId: t.group_id,
        tags: JSON.parse(t.tags) as string[],
        customerTier: tier,
      });
      // Same policy: keep the snapshot taken when it first applied (later edits don't rewrite history).
      if (matched && (!sla || matched.policyId !== sla.policyId)) sla = matched;
      if (!matched) sla = null;
    }
    const now = s.clock.now();
    if (!sla) {
      await db
        .updateTable('tickets')
        .set({ sla: null, sla_state: null, next_check_at: null, next_deadline_at: null })
        .where('id', '=', ticketId)
        .execute();
      await applySlaOutcomes(s, before, slaOutcomeOf({ ...t, sla_state: null }));
      return [];
    }
    const result = computeClock(await slaEvents(s, ticketId), sla.policy, sla.calendar, now, ticketProfile);
    const state = toSlaState(sla, result);
    const slaState = JSON.stringify(state);
    await db
      .updateTable('tickets')
      .set({
        sla: JSON.stringify(sla),
        sla_state: slaState,
        next_check_at: nextCheckAt(result, now)?.toISOString() ?? null,
        next_deadline_at: state.nextDeadlineAt,
      })
      .where('id', '=', ticketId)
      .execute();
    await applySlaOutcomes(s, before, slaOutcomeOf({ ...t, sla_state: slaState }));
    const notify = [t.assignee_id, await supervisorOf(s, t.group_id)].filter((x): x is string => !!x);
    return raiseAlerts(
      s,
      {
        workspaceId: t.workspace_id,
        subject: { type: 'ticket', id: t.id, number: t.number, title: t.subject },
        policyId: sla.policyId,
        notify: [...new Set(notify)],
      },
      result,
    );
  });
}

/**
 * What an SLA alert does to its ticket (a listener of sla.warning / sla.breached): a timeline
 * entry, and on a breach the escalation its policy asks for (raise the priority, reassign).
 */
export async function onTicketAlert(e: DomainEvent<'sla.warning' | 'sla.breached'>, s: Services): Promise<void> {
  if (e.data.subject.type !== 'ticket') return;
  const t = await own(s.db).selectFrom('tickets').selectAll().where('id', '=', e.data.subject.id).executeTakeFirst();
  if (!t) return;
  const breach = e.type === 'sla.breached';
  const now = s.clock.now().toISOString();
  const system = { type: 'system' as const, id: null, name: null };
  const { target, cycle, at } = e.data;
  await addEvent(s.db, t, system, breach ? 'sla_breach' : 'sla_warning', now, { target, cycle, at });
  if (breach) await escalate(s, t, target, now);
}

async function escalate(s: Services, t: TicketsTable, target: string, now: string): Promise<void> {
  const sla = t.sla ? (JSON.parse(t.sla) as TicketSla) : null;
  if (!sla) return;
  const set: TicketChange = {};
  const i = priorityOrder.indexOf(t.priority);
  if (sla.escalation.raisePriority && i >= 0 && i < priorityOrder.length - 1) set.priority = priorityOrder[i + 1];
  if (sla.escalation.reassignTo && sla.escalation.reassignTo !== t.assignee_id)
    set.assignee_id = sla.escalation.reassignTo;
  if (!Object.keys(set).length) return;
  await own(s.db)
    .updateTable('tickets')
    .set({ ...set, updated_at: now, version: t.version + 1 })
    .where('id', '=', t.id)
    .execute();
  await addEvent(s.db, t, { type: 'system', id: null, name: null }, 'escalated', now, {
    target,
    ...(set.priority ? { priority: { from: t.priority, to: set.priority } } : {}),
    ...(set.assignee_id ? { assignee: { from: t.assignee_id, to: set.assignee_id } } : {}),
  });
  await publish(s, 'ticket.escalated', t.workspace_id, 'ticket', t.id, {
    target,
    ...(set.priority ? { priority: set.priority } : {}),
    ...(set.assignee_id ? { assignee_id: set.assignee_id } : {}),
  });
  // A higher priority may select a stricter policy: re-target from the original start (bounded: priority only rises).
  if (set.priority) await recompute(s, t.id, { rematch: true });
}

/** The worker's job: every ticket whose next check is due. */
export async function checkDueTickets(s: Services, limit = 200): Promise<number> {
  const due = await own(s.db)
    .selectFrom('tickets')
    .select('id')
    .where('next_check_at', '<=', s.clock.now().toISOString())
    .orderBy('next_check_at')
    .limit(limit)
    .execute();
  for (const d of due) await recompute(s, d.id);
  return due.length;
}
