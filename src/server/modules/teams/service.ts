/** Groups of agents (teams) with a supervisor: tickets are assigned to them; routing will use them. */
import type { z } from 'zod';
import type { GroupBody } from '../../../shared/tickets-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { allMembers } from '../users/index.ts';
import { own } from './schema.ts';

type Db = { db: Executor };

export async function listGroups(ctx: Ctx) {
  const ws = ctx.actor.workspaceId;
  const db = own(ctx.db);
  const groups = await db.selectFrom('groups').selectAll().where('workspace_id', '=', ws).orderBy('name').execute();
  const members = await db.selectFrom('group_members').selectAll().where('workspace_id', '=', ws).execute();
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    supervisorId: g.supervisor_id,
    memberIds: members.filter((m) => m.group_id === g.id).map((m) => m.user_id),
  }));
}

export async function saveGroup(ctx: Ctx, id: string | null, input: z.output<typeof GroupBody>) {
  const ws = ctx.actor.workspaceId;
  const users = [...input.memberIds, ...(input.supervisorId ? [input.supervisorId] : [])];
  if (!(await allMembers(ctx, ws, users)))
    throw badRequest('every member and the supervisor must be users of this workspace');
  const iso = ctx.clock.now().toISOString();
  const existing = id;
  const groupId = id ?? newId('grp');
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    if (existing) {
      const r = await db
        .updateTable('groups')
        .set({ name: input.name, supervisor_id: input.supervisorId, updated_at: iso })
        .where('id', '=', groupId)
        .where('workspace_id', '=', ws)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('group');
      await db.deleteFrom('group_members').where('group_id', '=', groupId).execute();
    } else {
      await db
        .insertInto('groups')
        .values({
          id: groupId,
          workspace_id: ws,
          name: input.name,
          supervisor_id: input.supervisorId,
          created_at: iso,
          updated_at: iso,
        })
        .execute();
    }
    if (input.memberIds.length)
      await db
        .insertInto('group_members')
        .values([...new Set(input.memberIds)].map((u) => ({ group_id: groupId, user_id: u, workspace_id: ws })))
        .execute();
    await publish(ctx, 'group.saved', ws, 'group', groupId, { name: input.name });
  });
  return (await listGroups(ctx)).find((g) => g.id === groupId)!;
}

/** Whether the group exists in the workspace. */
export async function groupExists(s: Db, workspaceId: string, id: string): Promise<boolean> {
  const r = await own(s.db)
    .selectFrom('groups')
    .select('id')
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return !!r;
}

/** The group's supervisor, or null (no group, no supervisor). */
export async function supervisorOf(s: Db, groupId: string | null): Promise<string | null> {
  if (!groupId) return null;
  const r = await own(s.db).selectFrom('groups').select('supervisor_id').where('id', '=', groupId).executeTakeFirst();
  return r?.supervisor_id ?? null;
}

/** The groups each of the workspace's agents belongs to (routing matches conversations of a group to its members). */
export async function groupsByMember(s: Db, workspaceId: string): Promise<Map<string, string[]>> {
  const rows = await own(s.db)
    .selectFrom('group_members')
    .select(['user_id', 'group_id'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.group_id]);
  return out;
}

/** Every group's name in a workspace, by id (the war room shows names, not ids). */
export async function groupNames(s: Db, workspaceId: string): Promise<Map<string, string>> {
  const rows = await own(s.db)
    .selectFrom('groups')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The members of a group of the workspace (none when the group is not the workspace's). */
export async function groupMemberIds(s: Db, workspaceId: string, groupId: string): Promise<string[]> {
  const rows = await own(s.db)
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('workspace_id', '=', workspaceId)
    .execute();
  return rows.map((r) => r.user_id);
}
