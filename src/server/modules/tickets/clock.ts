/**
 * A ticket's SLA clock: its history (timeline) run through the shared engine with the policy and
 * calendar snapshot it carries. Deadlines are rows (`next_check_at`, indexed) that the jobs
 * worker scans, never timers in memory; each warning and breach is recorded once per target
 * cycle (a unique index), so a restart or a second node neither loses nor doubles one.
 */
import type { SlaState } from '../../../shared/tickets-api.ts';
import { event, type Services } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { queueMail } from '../../lib/mailer.ts';
import {
  applicablePolicy,
  computeClock,
  nextCheckAt,
  ticketProfile,
  type ClockResult,
  type SlaEvent,
  type TicketSla,
} from '../sla/index.ts';
import type { TicketsTable } from './schema.ts';

const priorityOrder = ['low', 'normal', 'high', 'urgent'];

/** The SLA history of a ticket, from its timeline. */
export async function slaEvents(db: Db, ticketId: string): Promise<SlaEvent[]> {
  const rows = await db
    .selectFrom('ticket_events')
    .select(['type', 'data', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
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

export type Alert = { target: string; kind: 'warning' | 'breach'; cycle: number; at: string };

/**
 * Recomputes a ticket's clock: applies a policy if none yet (or re-matches after a change of the
 * facts policies look at), stores the state and the next check, records new alerts and returns them.
 */
export async function recompute(s: Services, ticketId: string, opts: { rematch?: boolean } = {}): Promise<Alert[]> {
  const t = await s.db.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
  let sla = t.sla ? (JSON.parse(t.sla) as TicketSla) : null;
  if (!sla || opts.rematch) {
    const tier = t.customer_id
      ? (await s.db.selectFrom('customers').select('tier').where('id', '=', t.customer_id).executeTakeFirst())?.tier
      : null;
    const matched = await applicablePolicy(s.db, t.workspace_id, {
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
    await s.db
      .updateTable('tickets')
      .set({ sla: null, sla_state: null, next_check_at: null, next_deadline_at: null })
      .where('id', '=', ticketId)
      .execute();
    return [];
  }
  const result = computeClock(await slaEvents(s.db, ticketId), sla.policy, sla.calendar, now, ticketProfile);
  const state = toSlaState(sla, result);
  await s.db
    .updateTable('tickets')
    .set({
      sla: JSON.stringify(sla),
      sla_state: JSON.stringify(state),
      next_check_at: nextCheckAt(result, now)?.toISOString() ?? null,
      next_deadline_at: state.nextDeadlineAt,
    })
    .where('id', '=', ticketId)
    .execute();
  const fresh: Alert[] = [];
  for (const [target, c] of Object.entries(result.targets)) {
    if (!c) continue;
    const due: Alert[] = [];
    if (c.breached && c.breachedAt)
      due.push({ target, kind: 'breach', cycle: c.cycle, at: c.breachedAt.toISOString() });
    else if (c.warning && c.warnAt) due.push({ target, kind: 'warning', cycle: c.cycle, at: c.warnAt.toISOString() });
    for (const a of due) {
      const inserted = await s.db
        .insertInto('ticket_sla_alerts')
        .values({
          id: newId('sla'),
          workspace_id: t.workspace_id,
          ticket_id: t.id,
          target: a.target,
          kind: a.kind,
          cycle: a.cycle,
          at: a.at,
          created_at: now.toISOString(),
        })
        .onConflict((oc) => oc.columns(['ticket_id', 'target', 'kind', 'cycle']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) fresh.push(a);
    }
  }
  for (const a of fresh) await onAlert(s, t, sla, a);
  return fresh;
}

/** Notifies the assignee and the group's supervisor; a breach also escalates as the policy says. */
async function onAlert(s: Services, t: TicketsTable, sla: TicketSla, a: Alert): Promise<void> {
  const sys = { clock: s.clock, ip: null, actor: null };
  const now = s.clock.now().toISOString();
  await s.events.publish(
    event(sys, a.kind === 'breach' ? 'sla.breached' : 'sla.warning', t.workspace_id, 'ticket', t.id, {
      target: a.target,
      cycle: a.cycle,
      at: a.at,
      policyId: sla.policyId,
    }),
  );
  await s.db
    .insertInto('ticket_events')
    .values({
      id: newId('tev'),
      workspace_id: t.workspace_id,
      ticket_id: t.id,
      type: a.kind === 'breach' ? 'sla_breach' : 'sla_warning',
      actor_type: 'system',
      actor_id: null,
      actor_name: null,
      body: null,
      data: JSON.stringify({ target: a.target, cycle: a.cycle, at: a.at }),
      created_at: now,
    })
    .execute();
  const supervisor = t.group_id
    ? (await s.db.selectFrom('groups').select('supervisor_id').where('id', '=', t.group_id).executeTakeFirst())
        ?.supervisor_id
    : null;
  const recipients = [...new Set([t.assignee_id, supervisor].filter((x): x is string => !!x))];
  const title = `${a.kind === 'breach' ? 'SLA breached' : 'SLA at risk'} · #${t.number}`;
  for (const user of recipients) {
    await s.db
      .insertInto('notifications')
      .values({
        id: newId('ntf'),
        workspace_id: t.workspace_id,
        user_id: user,
        type: a.kind === 'breach' ? 'sla.breached' : 'sla.warning',
        title,
        body: `${t.subject} — ${a.target}`,
        link: `/tickets/${t.id}`,
        read_at: null,
        created_at: now,
      })
      .execute();
  }
  // And by e-mail when an SMTP server is configured.
  const emails = recipients.length
    ? await s.db.selectFrom('users').select('email').where('id', 'in', recipients).where('disabled', '=', 0).execute()
    : [];
  const link = s.config.publicUrl ? `${s.config.publicUrl}/tickets/${t.id}` : `/tickets/${t.id}`;
  for (const { email } of emails) {
    await queueMail(s, t.workspace_id, {
      to: email,
      subject: `[Kefu] ${title}`,
      text: `${a.kind === 'breach' ? 'SLA 已超时 / SLA breached' : 'SLA 即将超时 / SLA at risk'}\n#${t.number} ${t.subject}\n${a.target}: ${a.at}\n${link}\n`,
    });
  }
  if (a.kind !== 'breach') return;
  const set: Partial<TicketsTable> = {};
  const i = priorityOrder.indexOf(t.priority);
  if (sla.escalation.raisePriority && i >= 0 && i < priorityOrder.length - 1) set.priority = priorityOrder[i + 1];
  if (sla.escalation.reassignTo && sla.escalation.reassignTo !== t.assignee_id)
    set.assignee_id = sla.escalation.reassignTo;
  if (!Object.keys(set).length) return;
  await s.db
    .updateTable('tickets')
    .set({ ...set, updated_at: now, version: t.version + 1 })
    .where('id', '=', t.id)
    .execute();
  await s.db
    .insertInto('ticket_events')
    .values({
      id: newId('tev'),
      workspace_id: t.workspace_id,
      ticket_id: t.id,
      type: 'escalated',
      actor_type: 'system',
      actor_id: null,
      actor_name: null,
      body: null,
      data: JSON.stringify({
        target: a.target,
        ...(set.priority ? { priority: { from: t.priority, to: set.priority } } : {}),
        ...(set.assignee_id ? { assignee: { from: t.assignee_id, to: set.assignee_id } } : {}),
      }),
      created_at: now,
    })
    .execute();
  await s.events.publish(event(sys, 'ticket.escalated', t.workspace_id, 'ticket', t.id, { target: a.target, ...set }));
  // A higher priority may select a stricter policy: re-target from the original start (bounded: priority only rises).
  if (set.priority) await recompute(s, t.id, { rematch: true });
}

/** The worker's job: every ticket whose next check is due. */
export async function checkDueTickets(s: Services, limit = 200): Promise<number> {
  const due = await s.db
    .selectFrom('tickets')
    .select('id')
    .where('next_check_at', '<=', s.clock.now().toISOString())
    .orderBy('next_check_at')
    .limit(limit)
    .execute();
  for (const d of due) await recompute(s, d.id);
  return due.length;
}
