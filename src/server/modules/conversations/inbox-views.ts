/**
 * Saved inbox views (issue 16): a named set of inbox filters (assignee view, status, inbox, any of
 * several labels), the author's own or shared with the workspace — the rules of every saved view
 * (`lib/saved-views.ts`, as the tickets' views). Listed with the number of conversations each
 * lists now. A label deleted since a view was saved drops out of it; the view keeps working. Every
 * change is an event, so the audit log records it.
 */
import type { z } from 'zod';
import type { InboxView, InboxViewBody, InboxViewPatch, InboxViewQuery } from '../../../shared/chat-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { assertMayShare, editsView, seesView, viewOwner } from '../../lib/saved-views.ts';
import { inboxById } from '../inboxes/index.ts';
import { countConversations } from './list.ts';
import { own, type InboxViewsTable } from './schema.ts';

/** A person sees at most this many views (their own and the shared ones). */
export const maxInboxViews = 100;

type Query = InboxViewQuery;

/** The view's filters without the labels that no longer exist. */
function current(query: Query, labels: Set<string>): Query {
  const { labelIds, ...rest } = query;
  const kept = labelIds?.filter((id) => labels.has(id)) ?? [];
  return kept.length ? { ...rest, labelIds: kept } : rest;
}

async function labelSet(ctx: Ctx) {
  const rows = await own(ctx.db)
    .selectFrom('conversation_labels')
    .select('id')
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .execute();
  return new Set(rows.map((r) => r.id));
}

async function toView(ctx: Ctx, r: InboxViewsTable, labels: Set<string>): Promise<InboxView> {
  const query = current(JSON.parse(r.query) as Query, labels);
  const status = query.status ?? 'open'; // the inbox's own default
  const count = await countConversations(ctx, {
    view: query.view ?? 'all',
    status: status === 'any' ? undefined : status,
    inboxId: query.inboxId,
    labelIds: query.labelIds,
  });
  return { id: r.id, name: r.name, shared: r.user_id === null, editable: editsView(ctx, r), query, count };
}

export async function listInboxViews(ctx: Ctx): Promise<InboxView[]> {
  const rows = await own(ctx.db)
    .selectFrom('inbox_views')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '=', ctx.actor.userId)]))
    .orderBy('name')
    .orderBy('id')
    .execute();
  const labels = await labelSet(ctx);
  return Promise.all(rows.map((r) => toView(ctx, r, labels)));
}

/** Refuses labels and inboxes of other workspaces (or none), naming them. */
async function assertKnown(ctx: Ctx, query: Query) {
  if (query.labelIds) {
    const labels = await labelSet(ctx);
    const missing = query.labelIds.filter((id) => !labels.has(id));
    if (missing.length) throw badRequest(`unknown label: ${missing.join(', ')}`);
  }
  if (query.inboxId && !(await inboxById(ctx, ctx.actor.workspaceId, query.inboxId)))
    throw badRequest(`unknown inbox: ${query.inboxId}`);
}

const normal = (query: Query): Query => (query.labelIds ? { ...query, labelIds: [...new Set(query.labelIds)] } : query);

export async function createInboxView(ctx: Ctx, input: z.output<typeof InboxViewBody>): Promise<InboxView> {
  assertMayShare(ctx, input.shared);
  await assertKnown(ctx, input.query);
  const seen = await own(ctx.db)
    .selectFrom('inbox_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '=', ctx.actor.userId)]))
    .executeTakeFirstOrThrow();
  if (Number(seen.n) >= maxInboxViews) throw conflict(`at most ${maxInboxViews} views; delete one first`);
  const iso = ctx.clock.now().toISOString();
  const row: InboxViewsTable = {
    id: newId('ivw'),
    workspace_id: ctx.actor.workspaceId,
    user_id: viewOwner(ctx, input.shared),
    name: input.name,
    query: JSON.stringify(normal(input.query)),
    created_at: iso,
    updated_at: iso,
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).insertInto('inbox_views').values(row).execute();
    await publish(ctx, 'inbox_view.created', row.workspace_id, 'inbox_view', row.id, {
      name: row.name,
      shared: input.shared,
    });
  });
  return toView(ctx, row, await labelSet(ctx));
}

/** The view if the caller may change it; 404 otherwise (others' own views are not theirs to know of). */
async function editable(ctx: Ctx, id: string) {
  const row = await own(ctx.db)
    .selectFrom('inbox_views')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  if (!row || !seesView(ctx, row) || !editsView(ctx, row)) throw notFound('view');
  return row;
}

export async function updateInboxView(ctx: Ctx, id: string, input: z.output<typeof InboxViewPatch>) {
  const cur = await editable(ctx, id);
  if (input.query) await assertKnown(ctx, input.query);
  const next: InboxViewsTable = {
    ...cur,
    name: input.name ?? cur.name,
    query: input.query ? JSON.stringify(normal(input.query)) : cur.query,
    updated_at: ctx.clock.now().toISOString(),
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .updateTable('inbox_views')
      .set({ name: next.name, query: next.query, updated_at: next.updated_at })
      .where('id', '=', id)
      .execute();
    await publish(ctx, 'inbox_view.updated', ctx.actor.workspaceId, 'inbox_view', id, {
      name: { from: cur.name, to: next.name },
      filters: input.query !== undefined,
    });
  });
  return toView(ctx, next, await labelSet(ctx));
}

export async function deleteInboxView(ctx: Ctx, id: string) {
  const cur = await editable(ctx, id);
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).deleteFrom('inbox_views').where('id', '=', id).execute();
    await publish(ctx, 'inbox_view.deleted', ctx.actor.workspaceId, 'inbox_view', id, {
      name: cur.name,
      shared: cur.user_id === null,
    });
  });
}
