/** Tickets (工单): create from anywhere, work them through their statuses, reply, merge; every change on the timeline. */
import type { z } from 'zod';
import type { CreateTicketBody, Ticket, TicketQuery, UpdateTicketBody } from '../../../shared/tickets-api.ts';
import type { Ctx, Services } from '../../context.ts';
import type { Db, Tx } from '../../db/index.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { ActorRef } from '../../lib/events.ts';
import { displayName } from '../customers/index.ts';
import type { SlaState } from '../../../shared/tickets-api.ts';
import { recompute } from './clock.ts';
import { assertType, checkFields, fieldDefs, missingOnSolve } from './fields.ts';
import type { TicketsTable } from './schema.ts';

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

export type Who = { actor: ActorRef; workspaceId: string; pii: boolean };
export const whoOf = (ctx: Ctx): Who => ({
  actor: { type: ctx.actor.type, id: ctx.actor.userId, name: ctx.actor.name },
  workspaceId: ctx.actor.workspaceId,
  pii: ctx.actor.permissions.includes('customers.pii'),
});

export async function addEvent(
  db: Db | Tx,
  t: { id: string; workspace_id: string },
  who: ActorRef,
  type: string,
  at: string,
  data: Record<string, unknown> = {},
  body: string | null = null,
) {
  await db
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
}

export async function toTickets(s: Services, rows: TicketsTable[], pii: boolean): Promise<Ticket[]> {
  const ids = [...new Set(rows.map((r) => r.customer_id).filter((x): x is string => !!x))];
  const customers = ids.length
    ? await s.db.selectFrom('customers').select(['id', 'name_enc']).where('id', 'in', ids).execute()
    : [];
  return rows.map((r) => {
    const c = customers.find((x) => x.id === r.customer_id);
    return {
      id: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status as Ticket['status'],
      priority: r.priority as Ticket['priority'],
      type: r.type,
      groupId: r.group_id,
      assigneeId: r.assignee_id,
      customerId: r.customer_id,
      customerName: c ? displayName(s.cipher, c, pii) : null,
      conversationId: r.conversation_id,
      channel: r.channel,
      orderNo: r.order_no,
      tags: JSON.parse(r.tags) as string[],
      fields: JSON.parse(r.fields) as Record<string, unknown>,
      version: r.version,
      mergedIntoId: r.merged_into_id,
      sla: r.sla_state ? (JSON.parse(r.sla_state) as SlaState) : null,
      firstResponseAt: r.first_response_at,
      solvedAt: r.solved_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

export async function ticketRow(db: Db, workspaceId: string, id: string): Promise<TicketsTable> {
  const r = await db
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) throw notFound('ticket');
  return r;
}

export async function getTicket(s: Services, who: Who, id: string): Promise<Ticket> {
  return (await toTickets(s, [await ticketRow(s.db, who.workspaceId, id)], who.pii))[0];
}

async function assertMember(
  db: Db,
  workspaceId: string,
  userId: string | null | undefined,
  groupId: string | null | undefined,
) {
  if (
    userId &&
    !(await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .where('workspace_id', '=', workspaceId)
      .where('disabled', '=', 0)
      .executeTakeFirst())
  ) {
    throw badRequest('the assignee is not an active user of this workspace');
  }
  if (
    groupId &&
    !(await db
      .selectFrom('groups')
      .select('id')
      .where('id', '=', groupId)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst())
  )
    throw badRequest('no such group');
}

export type CreateInput = z.output<typeof CreateTicketBody> & { channel?: string };

export async function createTicket(s: Services, who: Who, input: CreateInput): Promise<Ticket> {
  const ws = who.workspaceId;
  const now = s.clock.now();
  const iso = now.toISOString();
  await assertType(s.db, ws, input.type, now);
  await assertMember(s.db, ws, input.assigneeId, input.groupId);
  const fields = checkFields(await fieldDefs(s.db, ws), {}, input.fields);
  let customerId = input.customerId ?? null;
  let channel = input.channel ?? (who.actor.type === 'token' ? 'api' : 'manual');
  let transcript: { seq: number; sender: string; body: string; at: string }[] = [];
  if (input.conversationId) {
    const conv = await s.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', input.conversationId)
      .where('workspace_id', '=', ws)
      .executeTakeFirst();
    if (!conv) throw badRequest('no such conversation');
    if (conv.ticket_id) {
      const open = await s.db
        .selectFrom('tickets')
        .select(['id', 'number', 'status'])
        .where('id', '=', conv.ticket_id)
        .executeTakeFirst();
      if (open && open.status !== 'closed') throw conflict(`the conversation already feeds ticket #${open.number}`);
    }
    customerId = conv.customer_id;
    channel = input.channel ?? 'web';
    const msgs = await s.db
      .selectFrom('messages')
      .select(['seq', 'sender_type', 'sender_name', 'kind', 'body', 'created_at'])
      .where('conversation_id', '=', conv.id)
      .where('kind', '!=', 'note')
      .orderBy('seq')
      .limit(500)
      .execute();
    transcript = msgs.map((m) => ({
      seq: m.seq,
      sender: m.sender_name ?? m.sender_type,
      body: m.body,
      at: m.created_at,
    }));
  }
  if (
    customerId &&
    !(await s.db
      .selectFrom('customers')
      .select('id')
      .where('id', '=', customerId)
      .where('workspace_id', '=', ws)
      .executeTakeFirst())
  )
    throw badRequest('no such customer');
  const id = newId('tkt');
  await s.db.transaction().execute(async (tx) => {
    const counter = await tx
      .insertInto('ticket_counters')
      .values({ workspace_id: ws, last_number: 1001 })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet((eb) => ({ last_number: eb('ticket_counters.last_number', '+', 1) })),
      )
      .returning('last_number')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('tickets')
      .values({
        id,
        workspace_id: ws,
        number: counter.last_number,
        subject: input.subject,
        status: input.status,
        priority: input.priority,
        type: input.type,
        group_id: input.groupId ?? null,
        assignee_id: input.assigneeId ?? null,
        customer_id: customerId,
        conversation_id: input.conversationId ?? null,
        channel,
        order_no: input.orderNo ?? null,
        tags: JSON.stringify([...new Set(input.tags)]),
        fields: JSON.stringify(fields),
        version: 1,
        merged_into_id: null,
        sla: null,
        sla_state: null,
        next_check_at: null,
        next_deadline_at: null,
        first_response_at: null,
        solved_at: null,
        closed_at: null,
        created_by: who.actor.id,
        created_at: iso,
        updated_at: iso,
      })
      .execute();
    await addEvent(
      tx,
      { id, workspace_id: ws },
      who.actor,
      'created',
      iso,
      { status: input.status, channel, ...(transcript.length ? { transcript } : {}) },
      input.description ?? null,
    );
    if (input.conversationId)
      await tx.updateTable('conversations').set({ ticket_id: id }).where('id', '=', input.conversationId).execute();
  });
  await recompute(s, id);
  await s.events.publish({
    type: 'ticket.created',
    workspaceId: ws,
    actor: who.actor,
    ip: null,
    objectType: 'ticket',
    objectId: id,
    data: { channel, priority: input.priority, type: input.type },
    at: iso,
  });
  return getTicket(s, who, id);
}

export type UpdateInput = z.output<typeof UpdateTicketBody>;

/** Applies a change if `version` is current (else 409); records each change on the timeline. */
export async function updateTicket(s: Services, who: Who, id: string, input: UpdateInput): Promise<Ticket> {
  const ws = who.workspaceId;
  const cur = await ticketRow(s.db, ws, id);
  if (cur.merged_into_id) throw badRequest('this ticket was merged; work on the ticket it was merged into');
  const now = s.clock.now();
  const iso = now.toISOString();
  if (input.status) assertTransition(cur.status, input.status);
  if (input.type && input.type !== cur.type) await assertType(s.db, ws, input.type, now);
  await assertMember(s.db, ws, input.assigneeId, input.groupId);
  const defs = await fieldDefs(s.db, ws);
  const fields = input.fields
    ? checkFields(defs, JSON.parse(cur.fields) as Record<string, unknown>, input.fields)
    : (JSON.parse(cur.fields) as Record<string, unknown>);
  if (input.status === 'solved' && cur.status !== 'solved') {
    const missing = missingOnSolve(defs, fields);
    if (missing.length)
      throw new AppError(400, 'fields_required', `fill in before solving: ${missing.join(', ')}`, missing);
  }
  const set: Partial<TicketsTable> = { updated_at: iso, version: cur.version + 1 };
  const changes: [string, unknown, unknown][] = [];
  const change = <K extends keyof TicketsTable>(col: K, label: string, value: TicketsTable[K] | undefined) => {
    if (value === undefined || value === cur[col]) return;
    set[col] = value;
    changes.push([label, cur[col], value]);
  };
  change('subject', 'subject', input.subject);
  change('status', 'status', input.status);
  change('priority', 'priority', input.priority);
  change('type', 'type', input.type);
  change('group_id', 'group', input.groupId);
  change('assignee_id', 'assignee', input.assigneeId);
  change('order_no', 'orderNo', input.orderNo);
  if (input.tags) change('tags', 'tags', JSON.stringify([...new Set(input.tags)]));
  if (input.fields) change('fields', 'fields', JSON.stringify(fields));
  if (input.status === 'solved') set.solved_at = iso;
  if (input.status === 'closed') set.closed_at = iso;
  if (input.status === 'open' && cur.status === 'solved') set.solved_at = null;
  await s.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('tickets')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new AppError(
        409,
        'version_conflict',
        `the ticket changed since version ${input.version} (now ${cur.version}); reload and try again`,
      );
    for (const [label, from, to] of changes) {
      await addEvent(
        tx,
        cur,
        who.actor,
        label === 'status' ? 'status' : 'field',
        iso,
        label === 'status' ? { from, to } : { field: label, from: parseMaybe(from), to: parseMaybe(to) },
      );
    }
    if (input.status === 'closed' && cur.conversation_id)
      await tx
        .updateTable('conversations')
        .set({ ticket_id: null })
        .where('id', '=', cur.conversation_id)
        .where('ticket_id', '=', id)
        .execute();
  });
  await recompute(s, id, { rematch: changes.some(([l]) => ['priority', 'type', 'group', 'tags'].includes(l)) });
  if (changes.length) {
    await s.events.publish({
      type: 'ticket.updated',
      workspaceId: ws,
      actor: who.actor,
      ip: null,
      objectType: 'ticket',
      objectId: id,
      data: Object.fromEntries(changes.map(([l, f, t]) => [l, { from: parseMaybe(f), to: parseMaybe(t) }])),
      at: iso,
    });
  }
  return getTicket(s, who, id);
}

const parseMaybe = (v: unknown) => (typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v);

export type ListQuery = z.output<typeof TicketQuery>;

export async function listTickets(ctx: Ctx, f: ListQuery) {
  const ws = ctx.actor.workspaceId;
  let q = ctx.db.selectFrom('tickets').selectAll().where('workspace_id', '=', ws).where('merged_into_id', 'is', null);
  if (f.view === 'mine') q = q.where('assignee_id', '=', ctx.actor.userId);
  if (f.view === 'unassigned') q = q.where('assignee_id', 'is', null);
  if (f.view === 'breaching_soon')
    q = q.where('next_deadline_at', '<=', new Date(ctx.clock.now().getTime() + 2 * 3600_000).toISOString());
  if (f.status === 'unsolved' || (!f.status && f.view !== 'all'))
    q = q.where('status', 'in', ['new', 'open', 'pending', 'on_hold']);
  else if (f.status) q = q.where('status', '=', f.status);
  if (f.priority) q = q.where('priority', '=', f.priority);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.groupId) q = q.where('group_id', '=', f.groupId);
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.tag) q = q.where('tags', 'like', `%${JSON.stringify(f.tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.q) {
    const n = /^#?(\d{1,9})$/.exec(f.q);
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('subject', 'like', like), eb('order_no', '=', f.q!), ...(n ? [eb('number', '=', Number(n[1]))] : [])]),
    );
  }
  const sorted =
    f.sort === 'deadline'
      ? q
          .orderBy((eb) => eb.case().when('next_deadline_at', 'is', null).then(1).else(0).end())
          .orderBy('next_deadline_at')
          .orderBy('number')
      : f.sort === 'created'
        ? q.orderBy('created_at', 'desc')
        : f.sort === 'priority'
          ? q
              .orderBy((eb) =>
                eb
                  .case()
                  .when('priority', '=', 'urgent')
                  .then(0)
                  .when('priority', '=', 'high')
                  .then(1)
                  .when('priority', '=', 'normal')
                  .then(2)
                  .else(3)
                  .end(),
              )
              .orderBy('updated_at', 'desc')
          : q.orderBy('updated_at', 'desc');
  const rows = await sorted
    .orderBy('id')
    .offset(f.offset)
    .limit(f.limit + 1)
    .execute();
  return {
    items: await toTickets(ctx, rows.slice(0, f.limit), ctx.actor.permissions.includes('customers.pii')),
    hasMore: rows.length > f.limit,
  };
}

export async function timeline(ctx: Ctx, id: string) {
  await ticketRow(ctx.db, ctx.actor.workspaceId, id);
  const rows = await ctx.db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', id).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
    body: r.body,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}
