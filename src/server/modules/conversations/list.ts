/**
 * Agents' inbox: conversation rows (summaries) and the filtered, searched list with its counts.
 * The list is newest activity first (updated_at, then id), paged by keyset: one index scan per
 * status in that order (conversations_status_idx, or conversations_assignee_idx for "mine" and
 * "unassigned"), merged here when no status is chosen. A search is answered by the customers'
 * exact indexes first (phone, e-mail, name, shop user id), else by full-text search (search.ts).
 */
import type { z } from 'zod';
import type { ConversationQuery } from '../../../shared/chat-api.ts';
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';
import type { SearchInfo } from '../../../shared/search.ts';
import type { Ctx, Services } from '../../context.ts';
import { textQuery } from '../../db/text-search.ts';
import { badRequest } from '../../lib/errors.ts';
import { byKeys, decodeCursor, encodeCursor, mergeSorted } from '../../lib/keyset.ts';
import { customerNames, customerQueryKind, exactCustomerIds } from '../customers/index.ts';
import { labelIdsOf } from './labels.ts';
import { own } from './schema.ts';
import { searchConversations, type ConversationFilter } from './search.ts';

/** Inbox rows for agents; `pii` decides whether customer names are shown or masked. In the order of `ids`. */
export async function summaries(
  s: Services,
  workspaceId: string,
  ids: string[],
  pii: boolean,
): Promise<ConversationSummary[]> {
  if (!ids.length) return [];
  // By primary key only: with `workspace_id = ?` too, a planner may prefer a workspace index and
  // walk every conversation. The workspace is checked on the rows.
  const rows = (await own(s.db).selectFrom('conversations').selectAll().where('id', 'in', ids).execute()).filter(
    (r) => r.workspace_id === workspaceId,
  );
  const names = await customerNames(
    s,
    rows.map((r) => r.customer_id),
    pii,
  );
  const labels = await labelIdsOf(
    s,
    rows.map((r) => r.id),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => ({
      id: r.id,
      inboxId: r.inbox_id,
      customerId: r.customer_id,
      customerName: names.get(r.customer_id) ?? null,
      status: r.status as ConversationSummary['status'],
      assigneeId: r.assignee_id,
      lastSeq: r.last_seq,
      lastMessageAt: r.last_message_at,
      lastMessagePreview: r.last_message_preview,
      agentLastReadSeq: r.agent_last_read_seq,
      customerLastReadSeq: r.customer_last_read_seq,
      snoozedUntil: r.snoozed_until,
      createdAt: r.created_at,
      labelIds: labels.get(r.id) ?? [],
    }));
}

export type ListQuery = z.output<typeof ConversationQuery>;
type View = ListQuery['view'];
const statuses = ['open', 'pending', 'resolved', 'snoozed'];
/** Tab counts stop here (the console shows "999+"). */
export const countCap = 1000;
type Key = { id: string; updated_at: string };
const newestFirst = byKeys<Key>([
  { get: (r) => r.updated_at, desc: true },
  { get: (r) => r.id, desc: true },
]);
/** An order number as shoppers paste it: letters, digits and dashes, with digits. */
const orderShape = /^(?=.*\d)[A-Za-z0-9-]{6,40}$/;

const assigneeOf = (ctx: Ctx, view: View): ConversationFilter['assigneeId'] =>
  view === 'mine' ? ctx.actor.userId : view === 'unassigned' ? null : undefined;

/** The conversations carrying any of these labels (a subquery on conversation_label_links_label_idx). */
export const labelled = (ctx: Ctx, labelIds: string[]) =>
  own(ctx.db)
    .selectFrom('conversation_label_links')
    .select('conversation_id')
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where('label_id', 'in', labelIds);

/** The query's `labelIds` (comma-separated) as a list, or undefined for "any label or none". */
const labelsOf = (f: ListQuery) => (f.labelIds ? [...new Set(f.labelIds.split(','))] : undefined);

/** One keyset page in activity order, optionally among some customers' conversations. */
async function activityPage(ctx: Ctx, f: ListQuery, customerIds: string[] | null) {
  const after = decodeCursor(f.cursor, 2) as [string, string] | null;
  const assignee = assigneeOf(ctx, f.view);
  const labelIds = labelsOf(f);
  const perStatus = (status: string) => {
    let q = own(ctx.db)
      .selectFrom('conversations')
      .select(['id', 'updated_at'])
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .where('status', '=', status);
    if (assignee !== undefined) q = q.where('assignee_id', assignee === null ? 'is' : '=', assignee);
    if (f.inboxId) q = q.where('inbox_id', '=', f.inboxId);
    if (labelIds) q = q.where('id', 'in', labelled(ctx, labelIds));
    if (customerIds) q = q.where('customer_id', 'in', customerIds);
    if (after) q = q.where((eb) => eb(eb.refTuple('updated_at', 'id'), '<', eb.tuple(after[0], after[1])));
    return q
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.limit + 1)
      .execute();
  };
  const lists = await Promise.all((f.status ? [f.status] : statuses).map(perStatus));
  const rows = mergeSorted(lists, newestFirst, f.limit + 1);
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return { ids: page.map((r) => r.id), next: rows.length > f.limit ? encodeCursor([last.updated_at, last.id]) : null };
}

async function searchPage(ctx: Ctx, f: ListQuery, q: string) {
  const exact = await exactCustomerIds(ctx, ctx.actor.workspaceId, q);
  if (exact) return { ...(await activityPage(ctx, f, exact.ids)), search: { kind: exact.kind } satisfies SearchInfo };
  const text = textQuery(q);
  if (!text) throw badRequest('search for at least two letters, digits or Chinese characters');
  const start = decodeCursor(f.cursor, 1)?.[0] ?? null;
  const page = await searchConversations(
    ctx,
    text,
    { status: f.status, assigneeId: assigneeOf(ctx, f.view), inboxId: f.inboxId, labelIds: labelsOf(f) },
    start,
    f.limit,
  );
  return {
    ids: page.items,
    next: page.next === null ? null : encodeCursor([page.next]),
    search: { kind: orderShape.test(q) && !customerQueryKind(q) ? 'order_no' : 'text' } satisfies SearchInfo,
  };
}

export async function listConversations(ctx: Ctx, f: ListQuery) {
  const ws = ctx.actor.workspaceId;
  const page = f.q ? await searchPage(ctx, f, f.q) : { ...(await activityPage(ctx, f, null)), search: null };
  const items = await summaries(ctx, ws, page.ids, ctx.actor.permissions.includes('customers.pii'));
  // Per view, in the status the list shows (every status for "any"): the tabs count what is listed below them.
  const filter = { status: f.status, inboxId: f.inboxId, labelIds: labelsOf(f) };
  const [mine, unassigned, all] = await Promise.all(
    (['mine', 'unassigned', 'all'] as const).map((view) => countConversations(ctx, { ...filter, view })),
  );
  return { items, counts: { mine, unassigned, all }, nextCursor: page.next, search: page.search };
}

export type CountFilter = { view: View; status?: string; inboxId?: string; labelIds?: string[] };

/**
 * How many conversations a filter lists (no status: every status), up to countCap. Index-only and
 * capped, so a count over years of resolved chats costs the same as one over today's open ones.
 * The inbox's tabs and the saved views' counts (inbox-views.ts).
 */
export async function countConversations(ctx: Ctx, f: CountFilter): Promise<number> {
  let c = own(ctx.db)
    .selectFrom('conversations')
    .select('id')
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where('status', 'in', f.status ? [f.status] : statuses);
  const assignee = assigneeOf(ctx, f.view);
  if (assignee !== undefined) c = c.where('assignee_id', assignee === null ? 'is' : '=', assignee);
  if (f.inboxId) c = c.where('inbox_id', '=', f.inboxId);
  if (f.labelIds?.length) c = c.where('id', 'in', labelled(ctx, f.labelIds));
  const r = await ctx.db
    .selectFrom(c.limit(countCap).as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
