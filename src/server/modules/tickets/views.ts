/**
 * Saved ticket views: a person's own (anyone who reads tickets keeps their own filters), or
 * shared with the workspace, which changes what everyone sees: administrators only
 * (`lib/saved-views.ts`, the rules of every saved view).
 */
import type { z } from 'zod';
import type { ViewBody } from '../../../shared/tickets-api.ts';
import type { Ctx } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { assertMayShare, editsView, viewOwner } from '../../lib/saved-views.ts';
import { own } from './schema.ts';

export async function listViews(ctx: Ctx) {
  const rows = await own(ctx.db)
    .selectFrom('ticket_views')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '=', ctx.actor.userId)]))
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    shared: r.user_id === null,
    query: JSON.parse(r.query) as Record<string, unknown>,
  }));
}

export async function createView(ctx: Ctx, input: z.output<typeof ViewBody>) {
  assertMayShare(ctx, input.shared);
  const iso = ctx.clock.now().toISOString();
  const id = newId('tvw');
  await own(ctx.db)
    .insertInto('ticket_views')
    .values({
      id,
      workspace_id: ctx.actor.workspaceId,
      user_id: viewOwner(ctx, input.shared),
      name: input.name,
      query: JSON.stringify(input.query),
      created_at: iso,
      updated_at: iso,
    })
    .execute();
  return (await listViews(ctx)).find((v) => v.id === id)!;
}

export async function deleteView(ctx: Ctx, id: string) {
  const row = await own(ctx.db)
    .selectFrom('ticket_views')
    .select('user_id')
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  // Others' own views and (for non-administrators) shared ones: not theirs to delete.
  if (!row || !editsView(ctx, row)) throw notFound('view');
  await own(ctx.db).deleteFrom('ticket_views').where('id', '=', id).execute();
}
