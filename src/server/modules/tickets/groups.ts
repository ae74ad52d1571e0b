/** Agent groups (with a supervisor who hears about SLA trouble), saved ticket views, console notifications. */
import type { z } from 'zod';
import type { GroupBody, ViewBody } from '../../../shared/tickets-api.ts';
import { event, type Ctx } from '../../context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';

export async function listGroups(ctx: Ctx) {
  const ws = ctx.actor.workspaceId;
  const groups = await ctx.db.selectFrom('groups').selectAll().where('workspace_id', '=', ws).orderBy('name').execute();
  const members = await ctx.db.selectFrom('group_members').selectAll().where('workspace_id', '=', ws).execute();
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    supervisorId: g.supervisor_id,
    memberIds: members.filter((m) => m.group_id === g.id).map((m) => m.user_id),
  }));
}

export async function saveGroup(ctx: Ctx, id: string | null, input: z.output<typeof GroupBody>) {
  const ws = ctx.actor.workspaceId;
  const users = [...new Set([...input.memberIds, ...(input.supervisorId ? [input.supervisorId] : [])])];
  if (users.length) {
    const found = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('id', 'in', users)
      .execute();
    if (found.length !== users.length)
      throw badRequest('every member and the supervisor must be users of this workspace');
  }
  const iso = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (tx) => {
    if (id) {
      const r = await tx
        .updateTable('groups')
        .set({ name: input.name, supervisor_id: input.supervisorId, updated_at: iso })
        .where('id', '=', id)
        .where('workspace_id', '=', ws)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('group');
      await tx.deleteFrom('group_members').where('group_id', '=', id).execute();
    } else {
      id = newId('grp');
      await tx
        .insertInto('groups')
        .values({
          id,
          workspace_id: ws,
          name: input.name,
          supervisor_id: input.supervisorId,
          created_at: iso,
          updated_at: iso,
        })
        .execute();
    }
    if (input.memberIds.length)
      await tx
        .insertInto('group_members')
        .values([...new Set(input.memberIds)].map((u) => ({ group_id: id!, user_id: u, workspace_id: ws })))
        .execute();
  });
  await ctx.events.publish(event(ctx, 'group.saved', ws, 'group', id, { name: input.name }));
  return (await listGroups(ctx)).find((g) => g.id === id)!;
}

export async function listViews(ctx: Ctx) {
  const rows = await ctx.db
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
  const iso = ctx.clock.now().toISOString();
  const id = newId('tvw');
  await ctx.db
    .insertInto('ticket_views')
    .values({
      id,
      workspace_id: ctx.actor.workspaceId,
      user_id: input.shared ? null : ctx.actor.userId,
      name: input.name,
      query: JSON.stringify(input.query),
      created_at: iso,
      updated_at: iso,
    })
    .execute();
  return (await listViews(ctx)).find((v) => v.id === id)!;
}

export async function deleteView(ctx: Ctx, id: string) {
  const r = await ctx.db
    .deleteFrom('ticket_views')
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where((eb) =>
      eb.or([
        eb('user_id', '=', ctx.actor.userId),
        ...(ctx.actor.permissions.includes('settings.manage') ? [eb('user_id', 'is', null)] : []),
      ]),
    )
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('view');
}

export async function listNotifications(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', ctx.actor.userId)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      type: r.type,
      title: r.title,
      body: r.body,
      link: r.link,
      read: r.read_at !== null,
      createdAt: r.created_at,
    })),
    unread: rows.filter((r) => !r.read_at).length,
  };
}

export async function markNotificationRead(ctx: Ctx, id: string) {
  const r = await ctx.db
    .updateTable('notifications')
    .set({ read_at: ctx.clock.now().toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', ctx.actor.userId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw notFound('notification');
}
