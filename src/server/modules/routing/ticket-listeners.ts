/**
 * Tickets auto-assigned per group with the same engine as chats (issue #15 item 2): a ticket of a
 * group listed in the workspace rule's `ticketGroups`, open and unassigned, joins the queue as kind
 * `ticket` (capacity per kind: an agent's ticket seats are separate from their chat seats) and goes
 * to a member of its group with room; solved or closed frees the seat and the next ticket is
 * assigned; reopened queues again; assigned or unassigned by hand is followed as for chats;
 * moved to another group, a waiting ticket waits for the new group (or leaves routing).
 */
import { sql } from 'kysely';
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import type { ModuleListener } from '../../module.ts';
import { getTicket, systemWho } from '../tickets/index.ts';
import { arrive, drain, finish, withAssigner } from './assigner.ts';
import { ruleFor, rulesOf, type Rules } from './rules.ts';
import { own } from './schema.ts';
import { followAssignee } from './transfer.ts';

const closed = new Set(['solved', 'closed']);
/** Ticket priority moves a ticket forward in its group's queue (after the customer's tier). */
const boost: Record<string, number> = { urgent: 20, high: 10, normal: 0, low: 0 };

const routesTickets = (rules: Rules, groupId: string | null): boolean => {
  const base = ruleFor(rules, null);
  return base.enabled && !!groupId && base.ticketGroups.includes(groupId);
};

async function queueTicket(s: Services, ws: string, id: string, rules: Rules): Promise<void> {
  const t = await getTicket(s, systemWho(ws), id).catch(() => null);
  if (!t || t.mergedIntoId || t.assigneeId || closed.has(t.status) || !routesTickets(rules, t.groupId)) return;
  await arrive(
    s,
    {
      workspaceId: ws,
      id,
      kind: 'ticket',
      inboxId: null,
      customerId: t.customerId,
      groupId: t.groupId,
      priority: boost[t.priority] ?? 0,
    },
    rules,
  );
}

async function onTicketCreated(e: DomainEvent<'ticket.created'>, s: Services): Promise<void> {
  if (!e.objectId) return;
  const rules = await rulesOf(s, e.workspaceId);
  if (!ruleFor(rules, null).ticketGroups.length) return;
  await queueTicket(s, e.workspaceId, e.objectId, rules);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

async function onTicketUpdated(e: DomainEvent<'ticket.updated'>, s: Services): Promise<void> {
  const id = e.objectId;
  if (!id) return;
  const ws = e.workspaceId;
  const item = await own(s.db)
    .selectFrom('routing_items')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const status = e.data.status;
  if (status && closed.has(String(status.to))) {
    if (item) await finish(s, ws, id);
    return;
  }
  const rules = await rulesOf(s, ws);
  if (!ruleFor(rules, null).ticketGroups.length && !item) return;
  if (status && closed.has(String(status.from))) {
    // Reopened: it queues again (with a new arrival) if its group is routed and nobody has it.
    await queueTicket(s, ws, id, rules);
    return;
  }
  const assignee = e.data.assignee;
  if (assignee && item && item.state !== 'done') {
    await followAssignee(s, ws, item, { from: str(assignee.from), to: str(assignee.to) }, rules);
    return;
  }
  const group = e.data.group;
  if (!group) return;
  const to = str(group.to);
  if (item?.state === 'queued') {
    // A waiting ticket moved to another group: it waits for that group (or leaves routing if that group is not routed).
    await withAssigner(s, ws, async (s) => {
      await own(s.db)
        .updateTable('routing_items')
        .set(
          routesTickets(rules, to)
            ? { group_id: to, wait_reason: null, version: sql`version + 1` }
            : { state: 'done', done_at: s.clock.now().toISOString(), wait_reason: null, version: sql`version + 1` },
        )
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .execute();
      await drain(s, ws, rules);
    });
  } else if (!item || item.state === 'done') await queueTicket(s, ws, id, rules);
}

export const ticketListeners: readonly ModuleListener[] = [
  {
    name: 'ticket_created',
    on: ['ticket.created'],
    handle: (e, s) => onTicketCreated(e as DomainEvent<'ticket.created'>, s),
  },
  {
    name: 'ticket_updated',
    on: ['ticket.updated'],
    handle: (e, s) => onTicketUpdated(e as DomainEvent<'ticket.updated'>, s),
  },
];
