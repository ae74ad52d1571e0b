/** The ticket's shape and rules every tickets file shares: statuses and moves, the timeline, the API shape. */
import type { SlaState, Ticket } from '../../../shared/tickets-api.ts';
import { publish, type Ctx, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { ActorRef } from '../../lib/events/index.ts';
import { newId } from '../../lib/ids.ts';
import { customerNames } from '../customers/index.ts';
import { openFields, sealedKeys } from './pii-fields.ts';
import { appendSearchText } from './rollup.ts';
import { own, type TicketsTable } from './schema.ts';

/** Allowed moves; `closed` is final (a new ticket follows up a closed one). */
export const transitions: Record<string, string[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function assertTransition(from: string, to: string): void {
  if (from !== to && !transitions[from]?.includes(to))
    throw new AppError(400, 'illegal_transition', `a ${from} ticket cannot become ${to}`);
}

/** Who acts on a ticket (a person, a token, or the system) and whether they see customers' PII. */
export type Who = { actor: ActorRef; workspaceId: string; pii: boolean };
export const whoOf = (ctx: Ctx): Who => ({
  actor: { type: ctx.actor.type, id: ctx.actor.userId, name: ctx.actor.name },
  workspaceId: ctx.actor.workspaceId,
  pii: ctx.actor.permissions.includes('customers.pii'),
});
export const systemWho = (workspaceId: string): Who => ({
  actor: { type: 'system', id: null, name: null },
  workspaceId,
  pii: false,
});

/** Appends an entry to a ticket's timeline (the one way timeline rows are written). */
export async function addEvent(
  db: Executor,
  t: { id: string; workspace_id: string },
  who: ActorRef,
  type: string,
  at: string,
  data: Record<string, unknown> = {},
  body: string | null = null,
) {
  await own(db)
    .insertInto('ticket_events')
    .values({
      id: newId('tev'),
      workspace_id: t.workspace_id,
      ticket_id: t.id,
      type,
      actor_type: who.type,
      actor_id: who.id,
      actor_name: who.name,
      body,
      data: JSON.stringify(data),
      created_at: at,
    })
    .execute();
  if (body) await appendSearchText(db, t.id, body);
}

export async function toTickets(s: Services, rows: TicketsTable[], pii: boolean): Promise<Ticket[]> {
  const names = await customerNames(
    s,
    rows.map((r) => r.customer_id).filter((x): x is string => !!x),
    pii,
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status as Ticket['status'],
    priority: r.priority as Ticket['priority'],
    type: r.type,
    groupId: r.group_id,
    assigneeId: r.assignee_id,
    customerId: r.customer_id,
    customerName: (r.customer_id && names.get(r.customer_id)) ?? null,
    conversationId: r.conversation_id,
    channel: r.channel,
    orderNo: r.order_no,
    tags: JSON.parse(r.tags) as string[],
    fields: openFields(s.cipher, JSON.parse(r.fields) as Record<string, unknown>, pii),
    version: r.version,
    mergedIntoId: r.merged_into_id,
    sla: r.sla_state ? (JSON.parse(r.sla_state) as SlaState) : null,
    firstResponseAt: r.first_response_at,
    solvedAt: r.solved_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function ticketRow(s: { db: Executor }, workspaceId: string, id: string): Promise<TicketsTable> {
  const r = await own(s.db)
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) throw notFound('ticket');
  return r;
}

export async function getTicket(s: Services, who: Who, id: string): Promise<Ticket> {
  return (await toTickets(s, [await ticketRow(s, who.workspaceId, id)], who.pii))[0];
}

/** A ticket for its reader (GET); phone / e-mail fields shown unmasked are an audited access (`ticket.pii_viewed`). */
export async function viewTicket(ctx: Ctx, id: string): Promise<Ticket> {
  const who = whoOf(ctx);
  const row = await ticketRow(ctx, who.workspaceId, id);
  const [ticket] = await toTickets(ctx, [row], who.pii);
  const fields = who.pii ? sealedKeys(JSON.parse(row.fields) as Record<string, unknown>) : [];
  if (fields.length) await publish(ctx, 'ticket.pii_viewed', who.workspaceId, 'ticket', id, { fields });
  return ticket;
}

/** JSON columns (tags, fields) recorded on the timeline as values, not as strings. */
export const parseMaybe = (v: unknown) => (typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v);
