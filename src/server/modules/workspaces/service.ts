/** Workspaces: one per merchant; an ops vendor serves several from one installation. */
import type { Workspace } from '../../../shared/api.ts';
import { event, type Ctx } from '../../context.ts';
import { transaction, type Db } from '../../db/index.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { insertUser, toUser } from '../users/service.ts';
import type { WorkspacesTable } from './schema.ts';

function toWorkspace(r: WorkspacesTable): Workspace {
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    timezone: r.timezone,
    defaultLanguage: r.default_language as Workspace['defaultLanguage'],
    createdAt: r.created_at,
  };
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('workspace');
  return toWorkspace(row);
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  return (await db.selectFrom('workspaces').selectAll().orderBy('created_at').execute()).map(toWorkspace);
}

export async function updateWorkspace(
  ctx: Ctx,
  patch: { name?: string; timezone?: string; defaultLanguage?: string },
): Promise<Workspace> {
  const before = await getWorkspace(ctx.db, ctx.actor.workspaceId);
  const set: Partial<WorkspacesTable> = { updated_at: ctx.clock.now().toISOString() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.timezone !== undefined) set.timezone = patch.timezone;
  if (patch.defaultLanguage !== undefined) set.default_language = patch.defaultLanguage;
  await ctx.db.updateTable('workspaces').set(set).where('id', '=', before.id).execute();
  const after = await getWorkspace(ctx.db, before.id);
  const changes: Record<string, unknown> = {};
  for (const k of ['name', 'timezone', 'defaultLanguage'] as const)
    if (before[k] !== after[k]) changes[k] = { from: before[k], to: after[k] };
  await ctx.events.publish(event(ctx, 'workspace.updated', before.id, 'workspace', before.id, changes));
  return after;
}

export type NewWorkspace = {
  name: string;
  slug: string;
  timezone: string;
  defaultLanguage: string;
  admin: { email: string; name: string; password?: string; installationOwner?: boolean; role?: 'owner' | 'admin' };
};

/** Creates a workspace and its first user in one transaction. */
export async function insertWorkspace(db: Db, now: Date, input: NewWorkspace) {
  return transaction(db, async (tx) => {
    if (await tx.selectFrom('workspaces').select('id').where('slug', '=', input.slug).executeTakeFirst()) {
      throw conflict(`a workspace with the slug ${input.slug} already exists`);
    }
    const iso = now.toISOString();
    const row: WorkspacesTable = {
      id: newId('ws'),
      name: input.name,
      slug: input.slug,
      timezone: input.timezone,
      default_language: input.defaultLanguage,
      created_at: iso,
      updated_at: iso,
    };
    await tx.insertInto('workspaces').values(row).execute();
    const { row: admin, temporaryPassword } = await insertUser(tx, now, {
      workspaceId: row.id,
      email: input.admin.email,
      name: input.admin.name,
      role: input.admin.role ?? 'owner',
      password: input.admin.password,
      installationOwner: input.admin.installationOwner,
    });
    return { workspace: toWorkspace(row), admin: toUser(admin), temporaryPassword };
  });
}

export async function createWorkspace(ctx: Ctx, input: NewWorkspace) {
  const created = await insertWorkspace(ctx.db, ctx.clock.now(), {
    ...input,
    admin: { ...input.admin, installationOwner: false },
  });
  // Recorded in both workspaces: the vendor's (who did it) and the new merchant's (how it began).
  await ctx.events.publish(
    event(ctx, 'workspace.created', ctx.actor.workspaceId, 'workspace', created.workspace.id, {
      name: input.name,
      slug: input.slug,
    }),
  );
  await ctx.events.publish(
    event(ctx, 'workspace.created', created.workspace.id, 'workspace', created.workspace.id, {
      name: input.name,
      slug: input.slug,
      admin: input.admin.email,
    }),
  );
  return created;
}

export async function countWorkspaces(db: Db): Promise<number> {
  const r = await db
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
