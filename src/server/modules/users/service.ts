/** Users of a workspace: create, list, update (role, name, disabled), reset passwords. */
import type { User } from '../../../shared/api.ts';
import { agentAvatarPath } from '../../../shared/avatars.ts';
import { assignableRoles, type Role } from '../../../shared/permissions.ts';
import { publish, unitOfWork, type Ctx, type Scope } from '../../context.ts';
import { flag, type Executor } from '../../db/index.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { temporaryPassword } from '../../lib/crypto.ts';
import { own, type UsersTable } from './schema.ts';
import { hashPassword } from './passwords.ts';

export function toUser(r: UsersTable): User {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    email: r.email,
    name: r.name,
    displayName: r.display_name ?? null,
    avatarUrl: agentAvatarPath(r.id, r.updated_at),
    role: r.role as Role,
    disabled: r.disabled === 1,
    installationOwner: r.installation_owner === 1,
    totpEnabled: r.totp_enabled === 1,
    mustChangePassword: r.must_change_password === 1,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
  };
}

export type NewUser = {
  workspaceId: string;
  email: string;
  name: string;
  displayName?: string | null;
  role: Role;
  password?: string;
  installationOwner?: boolean;
};

/** Inserts a user; without a password a temporary one is generated and must be changed at first sign-in. */
export async function insertUser(
  s: { db: Executor; clock: { now(): Date } },
  input: NewUser,
): Promise<{ row: UsersTable; temporaryPassword?: string }> {
  const temp = input.password ? undefined : temporaryPassword();
  const iso = s.clock.now().toISOString();
  const db = own(s.db);
  const existing = await db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) throw conflict('a user with this e-mail already exists');
  const row: UsersTable = {
    id: newId('usr'),
    workspace_id: input.workspaceId,
    email: input.email,
    name: input.name,
    display_name: input.displayName ?? null,
    avatar_attachment_id: null,
    avatar_color: null,
    role: input.role,
    password_hash: await hashPassword(input.password ?? temp!),
    disabled: 0,
    installation_owner: flag(!!input.installationOwner),
    totp_secret: null,
    totp_enabled: 0,
    totp_last_step: null,
    must_change_password: flag(!input.password),
    failed_logins: 0,
    locked_until: null,
    last_login_at: null,
    last_active_at: null,
    created_at: iso,
    updated_at: iso,
  };
  await db.insertInto('users').values(row).execute();
  return { row, temporaryPassword: temp };
}

/**
 * The name shoppers see on an agent's replies: the display name (昵称). Null when there is none (or
 * no such user): shoppers then see a neutral word in the widget's language (客服, or Support in English), never
 * the account name, which may be a role ("Administrator") or an e-mail address.
 */
export async function publicAgentName(s: { db: Executor }, userId: string): Promise<string | null> {
  const r = await own(s.db).selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
  return r?.display_name?.trim() || null;
}

export async function listUsers(ctx: Ctx): Promise<User[]> {
  const rows = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .orderBy('created_at')
    .execute();
  return rows.map(toUser);
}

async function getRow(ctx: Ctx, id: string): Promise<UsersTable> {
  const row = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  if (!row) throw notFound('user');
  return row;
}

function assertCanGrant(ctx: Ctx, role: Role): void {
  if (!assignableRoles(ctx.actor.role).includes(role))
    throw forbidden(`a ${ctx.actor.role} cannot grant the ${role} role`);
}

export async function createUser(ctx: Ctx, input: Omit<NewUser, 'workspaceId' | 'installationOwner'>) {
  assertCanGrant(ctx, input.role);
  return unitOfWork(ctx, async (ctx) => {
    const { row, temporaryPassword: temp } = await insertUser(ctx, { ...input, workspaceId: ctx.actor.workspaceId });
    await publish(ctx, 'user.created', row.workspace_id, 'user', row.id, { email: row.email, role: row.role });
    return { user: toUser(row), temporaryPassword: temp };
  });
}

export async function updateUser(
  ctx: Ctx,
  id: string,
  patch: { name?: string; displayName?: string | null; role?: Role; disabled?: boolean },
): Promise<User> {
  const row = await getRow(ctx, id);
  // Nobody changes a user above their own rank, and nobody demotes or disables themselves
  // (so a workspace never loses its last owner by accident).
  assertCanGrant(ctx, row.role as Role);
  if (patch.role !== undefined) assertCanGrant(ctx, patch.role);
  if (id === ctx.actor.userId && ((patch.role !== undefined && patch.role !== row.role) || patch.disabled)) {
    throw badRequest('you cannot change your own role or disable yourself');
  }
  const changes: Partial<UsersTable> = { updated_at: ctx.clock.now().toISOString() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.displayName !== undefined) changes.display_name = patch.displayName || null;
  if (patch.role !== undefined) changes.role = patch.role;
  if (patch.disabled !== undefined) changes.disabled = flag(patch.disabled);
  return unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    await db.updateTable('users').set(changes).where('id', '=', id).execute();
    // A disabled user or a changed role takes effect now: their sessions end.
    if (patch.disabled || (patch.role !== undefined && patch.role !== row.role))
      await db.deleteFrom('sessions').where('user_id', '=', id).execute();
    const updated = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const data: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['name', 'displayName', 'role', 'disabled'] as const)
      if (patch[k] !== undefined && patch[k] !== toUser(row)[k]) data[k] = { from: toUser(row)[k], to: patch[k] };
    await publish(ctx, 'user.updated', row.workspace_id, 'user', id, data);
    return toUser(updated);
  });
}

export async function resetPassword(ctx: Ctx, id: string): Promise<{ temporaryPassword: string }> {
  const row = await getRow(ctx, id);
  assertCanGrant(ctx, row.role as Role);
  const temp = temporaryPassword();
  await unitOfWork(ctx, async (ctx) => {
    const tokensRevoked = await setPassword(ctx, id, temp, true);
    await publish(ctx, 'user.password_reset', row.workspace_id, 'user', id, { tokensRevoked });
  });
  return { temporaryPassword: temp };
}

/**
 * Sets a password, clears lockout, ends every session of the user and revokes their API tokens
 * (a reset always does; only the owner changing their own password may keep them). Returns how
 * many tokens were revoked.
 */
export async function setPassword(
  s: Scope,
  userId: string,
  password: string,
  mustChange: boolean,
  opts: { revokeTokens?: boolean } = {},
): Promise<number> {
  const passwordHash = await hashPassword(password);
  const now = s.clock.now();
  return unitOfWork(s, async (s) => {
    const db = own(s.db);
    const r = await db
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        must_change_password: flag(mustChange),
        failed_logins: 0,
        locked_until: null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', userId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new AppError(404, 'not_found', 'user not found');
    await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    if (opts.revokeTokens === false) return 0;
    const revoked = await db
      .updateTable('api_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(revoked.numUpdatedRows);
  });
}
