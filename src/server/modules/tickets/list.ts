/** The ticket list (views, filters, search, sorts) and a ticket's timeline. */
import type { z } from 'zod';
import type { TicketQuery } from '../../../shared/tickets-api.ts';
import type { Ctx } from '../../context.ts';
import { ticketRow, toTickets } from './model.ts';
import { openFields } from './pii-fields.ts';
import { own } from './schema.ts';

export type ListQuery = z.output<typeof TicketQuery>;

export async function listTickets(ctx: Ctx, f: ListQuery) {
  const ws = ctx.actor.workspaceId;
  let q = own(ctx.db)
    .selectFrom('tickets')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('merged_into_id', 'is', null);
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
  await ticketRow(ctx, ctx.actor.workspaceId, id);
  const rows = await own(ctx.db)
    .selectFrom('ticket_events')
    .selectAll()
    .where('ticket_id', '=', id)
    .orderBy('id')
    .execute();
  const pii = ctx.actor.permissions.includes('customers.pii');
  return rows.map((r) => {
    const data = JSON.parse(r.data) as Record<string, unknown>;
    // A change of custom fields carries their values: phone and e-mail ones are sealed.
    if (r.type === 'field' && data.field === 'fields')
      for (const side of ['from', 'to'] as const)
        if (typeof data[side] === 'object' && data[side] !== null)
          data[side] = openFields(ctx.cipher, data[side] as Record<string, unknown>, pii);
    return {
      id: r.id,
      type: r.type,
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
      body: r.body,
      data,
      createdAt: r.created_at,
    };
  });
}
