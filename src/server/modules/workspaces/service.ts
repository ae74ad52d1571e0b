/** Workspaces: one per merchant; an ops vendor serves several from one installation. */
import type { Workspace } from '../../../shared/api.ts';
import { publish, type Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { languageOf, type Language } from '../../lib/language.ts';
import { own, type WorkspacesTable } from './schema.ts';

type Db = { db: Executor };

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

export async function getWorkspace(s: Db, id: string): Promise<Workspace> {
  const row = await own(s.db).selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('workspace');
  return toWorkspace(row);
}

/** The workspace's default language: the reader's language for what agents and on-call people read. */
export async function workspaceLanguage(s: Db, id: string): Promise<Language> {
  const row = await own(s.db)
    .selectFrom('workspaces')
    .select('default_language')
    .where('id', '=', id)
    .executeTakeFirst();
  return languageOf(row?.default_language);
}

/** The workspace's time zone (IANA): its days for whatever is dated by day (knowledge validity windows). */
export async function workspaceTimeZone(s: Db, id: string): Promise<string> {
  const row = await own(s.db).selectFrom('workspaces').select('timezone').where('id', '=', id).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}

export async function workspaceBySlug(s: Db, slug: string): Promise<Workspace | null> {
  const row = await own(s.db).selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toWorkspace(row) : null;
}

export async function listWorkspaces(s: Db): Promise<Workspace[]> {
  return (await own(s.db).selectFrom('workspaces').selectAll().orderBy('created_at').execute()).map(toWorkspace);
}

export async function updateWorkspace(
  ctx: Ctx,
  patch: { name?: string; timezone?: string; defaultLanguage?: string },
): Promise<Workspace> {
  const before = await getWorkspace(ctx, ctx.actor.workspaceId);
  const set: Partial<WorkspacesTable> = { updated_at: ctx.clock.now().toISOString() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.timezone !== undefined) set.timezone = patch.timezone;
  if (patch.defaultLanguage !== undefined) set.default_language = patch.defaultLanguage;
  await own(ctx.db).updateTable('workspaces').set(set).where('id', '=', before.id).execute();
  const after = await getWorkspace(ctx, before.id);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of ['name', 'timezone', 'defaultLanguage'] as const)
    if (before[k] !== after[k]) changes[k] = { from: before[k], to: after[k] };
  await publish(ctx, 'workspace.updated', before.id, 'workspace', before.id, changes);
  return after;
}

export type NewWorkspaceRow = { name: string; slug: string; timezone: string; defaultLanguage: string };

/** Inserts a workspace (its first user is the users module's business: see createWorkspaceWithOwner). */
export async function insertWorkspace(s: Db & { clock: { now(): Date } }, input: NewWorkspaceRow): Promise<Workspace> {
  const db = own(s.db);
  if (await db.selectFrom('workspaces').select('id').where('slug', '=', input.slug).executeTakeFirst()) {
    throw conflict(`a workspace with the slug ${input.slug} already exists`);
  }
  const iso = s.clock.now().toISOString();
  const row: WorkspacesTable = {
    id: newId('ws'),
    name: input.name,
    slug: input.slug,
    timezone: input.timezone,
    default_language: input.defaultLanguage,
    created_at: iso,
    updated_at: iso,
  };
  await db.insertInto('workspaces').values(row).execute();
  return toWorkspace(row);
}

export async function countWorkspaces(s: Db): Promise<number> {
  const r = await own(s.db)
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
