/**
 * The ticket list (views, filters, search, sorts) and a ticket's timeline. Each sort is a key of
 * columns ending in a unique one, read in index order and paged by keyset (the cursor holds the
 * last row's key): updated (tickets_updated_idx / tickets_status_idx / tickets_assignee_idx),
 * created (tickets_created_idx), priority (generated priority_rank, tickets_priority_idx) and
 * deadline (generated deadline_sort, tickets_deadline_idx / tickets_status_deadline_idx).
 * "Unsolved" is four statuses: one scan per status, merged here, so each stays in index order.
 */
import type { z } from 'zod';
import type { SearchInfo } from '../../../shared/search.ts';
import type { TicketQuery } from '../../../shared/tickets-api.ts';
import type { Ctx } from '../../context.ts';
import { textQuery } from '../../db/text-search.ts';
import { badRequest } from '../../lib/errors.ts';
import { byKeys, decodeCursor, encodeCursor, mergeSorted, type CursorValue } from '../../lib/keyset.ts';
import { ticketRow, toTickets } from './model.ts';
import { openFields } from './pii-fields.ts';
import { own, type TicketsTable } from './schema.ts';
import { exactTickets, searchTickets } from './search.ts';

export type ListQuery = z.output<typeof TicketQuery>;
type SortColumn = 'updated_at' | 'created_at' | 'priority_rank' | 'deadline_sort' | 'id' | 'number';
type Key = Pick<TicketsTable, SortColumn>;

const sortKeys: Record<ListQuery['sort'], { cols: SortColumn[]; desc: boolean }> = {
  updated: { cols: ['updated_at', 'id'], desc: true },
  created: { cols: ['created_at', 'id'], desc: true },
  priority: { cols: ['priority_rank', 'updated_at', 'id'], desc: true },
  deadline: { cols: ['deadline_sort', 'number'], desc: false },
};
const unsolved = ['new', 'open', 'pending', 'on_hold'];

function statusesOf(f: ListQuery): string[] | null {
  if (f.status === 'unsolved' || (!f.status && f.view !== 'all')) return unsolved;
  return f.status ? [f.status] : null;
}

/**
 * How a tag filter reads best: a common tag (2,000 tickets or more) as a probe per ticket while
 * the list's index is read in order (a page is found within a few thousand rows), a rarer one from
 * the tag's own index (at most 2,000 tickets to order). Counting stops at 2,000.
 */
async function tagPlan(ctx: Ctx, tag: string | undefined): Promise<TagPlan> {
  if (!tag) return 'in';
  const few = await own(ctx.db)
    .selectFrom((eb) =>
      eb
        .selectFrom('ticket_tags')
        .select('ticket_id')
        .where('workspace_id', '=', ctx.actor.workspaceId)
        .where('tag', '=', tag)
        .limit(2000)
        .as('t'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(few.n) >= 2000 ? 'exists' : 'in';
}
type TagPlan = 'in' | 'exists';

/** The list's filters except status, sort and paging. */
function filtered(ctx: Ctx, f: ListQuery, tags: TagPlan = 'in') {
  const ws = ctx.actor.workspaceId;
  let q = own(ctx.db).selectFrom('tickets').where('workspace_id', '=', ws).where('merged_into_id', 'is', null);
  if (f.view === 'mine') q = q.where('assignee_id', '=', ctx.actor.userId);
  if (f.view === 'unassigned') q = q.where('assignee_id', 'is', null);
  if (f.view === 'breaching_soon')
    q = q.where('deadline_sort', '<=', new Date(ctx.clock.now().getTime() + 2 * 3600_000).toISOString());
  if (f.priority) q = q.where('priority', '=', f.priority);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.groupId) q = q.where('group_id', '=', f.groupId);
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.tag) {
    const tag = f.tag;
    q =
      tags === 'exists'
        ? q.where((eb) =>
            eb.exists(
              eb
                .selectFrom('ticket_tags')
                .select('ticket_tags.ticket_id')
                .whereRef('ticket_tags.ticket_id', '=', 'tickets.id')
                .where('ticket_tags.tag', '=', tag),
            ),
          )
        : q.where('id', 'in', (eb) =>
            eb.selectFrom('ticket_tags').select('ticket_id').where('workspace_id', '=', ws).where('tag', '=', tag),
          );
  }
  return q;
}

/** One keyset page of ticket ids in the chosen order, optionally among some tickets only. */
async function sortedPage(ctx: Ctx, f: ListQuery, only: string[] | null) {
  const { cols, desc } = sortKeys[f.sort];
  const after = decodeCursor(f.cursor, cols.length);
  const tags = await tagPlan(ctx, f.tag);
  const scan = (status: string | null) => {
    let q = filtered(ctx, f, tags).select([...new Set<SortColumn>([...cols, 'id'])]);
    if (status) q = q.where('status', '=', status);
    if (only) q = q.where('id', 'in', only);
    if (after)
      q = q.where((eb) =>
        eb(
          eb.refTuple(...(cols as [SortColumn, SortColumn])),
          desc ? '<' : '>',
          eb.tuple(...(after as [string, string])),
        ),
      );
    for (const c of cols) q = q.orderBy(c, desc ? 'desc' : 'asc');
    return q.limit(f.limit + 1).execute() as Promise<Key[]>;
  };
  const statuses = statusesOf(f);
  const lists = await Promise.all(statuses ? statuses.map(scan) : [scan(null)]);
  const rows = mergeSorted(
    lists,
    byKeys<Key>(cols.map((c) => ({ get: (r: Key) => r[c] as CursorValue, desc }))),
    f.limit + 1,
  );
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    ids: page.map((r) => r.id),
    next: rows.length > f.limit ? encodeCursor(cols.map((c) => last[c] as CursorValue)) : null,
  };
}

async function searchPage(ctx: Ctx, f: ListQuery, q: string) {
  const exact = await exactTickets(ctx, q);
  if (exact)
    return {
      ...(exact.ids.length ? await sortedPage(ctx, f, exact.ids) : { ids: [], next: null }),
      search: { kind: exact.kind } satisfies SearchInfo,
    };
  const text = textQuery(q);
  if (!text) throw badRequest('search for at least two letters, digits or Chinese characters');
  const statuses = statusesOf(f);
  const page = await searchTickets(
    ctx,
    text,
    async (ids) => {
      let c = filtered(ctx, f).select('id').where('id', 'in', ids);
      if (statuses) c = c.where('status', 'in', statuses);
      return new Set((await c.execute()).map((r) => r.id));
    },
    decodeCursor(f.cursor, 1)?.[0] ?? null,
    f.limit,
  );
  return {
    ids: page.items,
    next: page.next === null ? null : encodeCursor([page.next]),
    search: { kind: 'text' } satisfies SearchInfo,
  };
}

export async function listTickets(ctx: Ctx, f: ListQuery) {
  const page = f.q ? await searchPage(ctx, f, f.q) : { ...(await sortedPage(ctx, f, null)), search: null };
  // By primary key only (a workspace condition could tempt a planner into a workspace index);
  // every id came from this workspace's list, and the rows are checked again.
  const rows = page.ids.length
    ? await own(ctx.db).selectFrom('tickets').selectAll().where('id', 'in', page.ids).execute()
    : [];
  const byId = new Map(rows.filter((r) => r.workspace_id === ctx.actor.workspaceId).map((r) => [r.id, r]));
  const ordered = page.ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
  return {
    items: await toTickets(ctx, ordered, ctx.actor.permissions.includes('customers.pii')),
    nextCursor: page.next,
    search: page.search,
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
