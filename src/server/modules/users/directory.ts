/**
 * What other modules may ask about people: whether someone is an active member of a workspace,
 * their e-mail addresses (notifications), and presence (agents connected recently). Other
 * modules never read the users table themselves.
 */
import type { Executor } from '../../db/index.ts';
import { can, type Role } from '../../../shared/permissions.ts';
import { badRequest } from '../../lib/errors.ts';
import { own } from './schema.ts';

type Db = { db: Executor };

/** `name`: what colleagues know the person by (the display name 昵称, else the account name). */
export type Person = { id: string; name: string; email: string; role: string };

/** The active (not disabled) users among `ids` that belong to `workspaceId`. */
export async function activeMembers(s: Db, workspaceId: string, ids: readonly string[]): Promise<Person[]> {
  if (!ids.length) return [];
  const rows = await own(s.db)
    .selectFrom('users')
    .select(['id', 'name', 'display_name', 'email', 'role'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .where('disabled', '=', 0)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name || r.name, email: r.email, role: r.role }));
}

/**
 * The workspace's active people who work conversations, by the name colleagues know them by (the
 * display name, else the account name): the @mention picker and the mention parser.
 */
export async function mentionableMembers(
  s: Db,
  workspaceId: string,
): Promise<{ id: string; name: string; accountName: string }[]> {
  const rows = await own(s.db)
    .selectFrom('users')
    .select(['id', 'name', 'display_name', 'role'])
    .where('workspace_id', '=', workspaceId)
    .where('disabled', '=', 0)
    .orderBy('name')
    .execute();
  return rows
    .filter((r) => can(r.role as Role, 'conversations.read'))
    .map((r) => ({ id: r.id, name: r.display_name || r.name, accountName: r.name }));
}

/** Throws 400 unless `userId` is an active user of the workspace (assignees, supervisors, escalation targets). */
export async function assertActiveMember(
  s: Db,
  workspaceId: string,
  userId: string,
  message = 'the assignee is not an active user of this workspace',
): Promise<void> {
  if (!(await activeMembers(s, workspaceId, [userId])).length) throw badRequest(message);
}

/** Whether every id is a user of the workspace (disabled ones included: group membership survives a leave). */
export async function allMembers(s: Db, workspaceId: string, ids: readonly string[]): Promise<boolean> {
  const unique = [...new Set(ids)];
  if (!unique.length) return true;
  const found = await own(s.db)
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', unique)
    .execute();
  return found.length === unique.length;
}

/** Marks agents as present now (the realtime gateway calls this while they are connected). */
export async function touchPresence(s: Db, ids: readonly string[], at: Date): Promise<void> {
  if (!ids.length) return;
  await own(s.db)
    .updateTable('users')
    .set({ last_active_at: at.toISOString() })
    .where('id', 'in', [...ids])
    .execute();
}

/** Whether any active user of the workspace was present since `since` (the widget's "online"). */
export async function anyonePresentSince(s: Db, workspaceId: string, since: Date): Promise<boolean> {
  const r = await own(s.db)
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('disabled', '=', 0)
    .where('last_active_at', '>=', since.toISOString())
    .executeTakeFirst();
  return !!r;
}

/** A user by e-mail (the CLI's reset), or null. */
export async function userByEmail(
  s: Db,
  email: string,
): Promise<{ id: string; workspaceId: string; disabled: boolean } | null> {
  const r = await own(s.db)
    .selectFrom('users')
    .select(['id', 'workspace_id', 'disabled'])
    .where('email', '=', email)
    .executeTakeFirst();
  return r ? { id: r.id, workspaceId: r.workspace_id, disabled: r.disabled === 1 } : null;
}

/** Re-enables an account (the CLI's reset --enable). */
export async function enableUser(s: Db, id: string): Promise<void> {
  await own(s.db).updateTable('users').set({ disabled: 0 }).where('id', '=', id).execute();
}

/**
 * The installation's home workspaces: those of its installation owners (usually one, the first
 * workspace). Their owners, admins and ops engineers watch the installation (`installation.ops`).
 * Read on every sign-in check, so a found answer is kept for a minute per process.
 */
const homeCache = new WeakMap<object, { at: number; ids: string[] }>();
export async function homeWorkspaceIds(s: Db & { state?: Map<string, unknown> }): Promise<string[]> {
  const key = s.state ?? s.db;
  const hit = homeCache.get(key);
  if (hit && Date.now() - hit.at < 60_000) return hit.ids;
  const rows = await own(s.db).selectFrom('users').select('workspace_id').where('installation_owner', '=', 1).execute();
  const ids = [...new Set(rows.map((r) => r.workspace_id))];
  if (ids.length) homeCache.set(key, { at: Date.now(), ids });
  return ids;
}

/** The first home workspace: where installation-wide events (alerts) are published. */
export async function homeWorkspaceId(s: Db & { state?: Map<string, unknown> }): Promise<string | null> {
  return (await homeWorkspaceIds(s))[0] ?? null;
}
