/**
 * Personal API tokens: `kefu_pat_…`, stored as a hash, each with scopes. A token can never do
 * more than its owner's current role allows: its permissions are the intersection of both.
 */
import { permissionsFor, type Permission, type Role } from '../../../shared/permissions.ts';
import { publish, unitOfWork, type Actor, type Ctx, type Services } from '../../context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { homeWorkspaceIds } from './directory.ts';
import { own, type ApiTokensTable } from './schema.ts';
import { confirmPassword } from './security.ts';

export const tokenPrefix = 'kefu_pat_';

function toToken(r: ApiTokensTable) {
  return {
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as Permission[],
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  };
}

export async function listTokens(ctx: Ctx) {
  const rows = await own(ctx.db)
    .selectFrom('api_tokens')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where('user_id', '=', ctx.actor.userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toToken);
}

export async function createToken(
  ctx: Ctx,
  input: { name: string; scopes: Permission[]; expiresInDays?: number; password: string },
) {
  if (ctx.actor.type !== 'user') throw badRequest('a token cannot create tokens');
  await confirmPassword(ctx, input.password);
  const beyond = input.scopes.filter((p) => !ctx.actor.permissions.includes(p));
  if (beyond.length) throw badRequest(`your role does not hold: ${beyond.join(', ')}`);
  const secret = tokenPrefix + randomToken(30);
  const now = ctx.clock.now();
  const row: ApiTokensTable = {
    id: newId('tok'),
    workspace_id: ctx.actor.workspaceId,
    user_id: ctx.actor.userId,
    name: input.name,
    prefix: secret.slice(0, tokenPrefix.length + 6),
    token_hash: sha256(secret),
    scopes: JSON.stringify([...new Set(input.scopes)]),
    created_at: now.toISOString(),
    last_used_at: null,
    expires_at: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86400_000).toISOString() : null,
    revoked_at: null,
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).insertInto('api_tokens').values(row).execute();
    await publish(ctx, 'token.created', row.workspace_id, 'api_token', row.id, {
      name: row.name,
      scopes: input.scopes,
    });
  });
  return { token: toToken(row), secret };
}

export async function revokeToken(ctx: Ctx, id: string): Promise<void> {
  await unitOfWork(ctx, async (ctx) => {
    const r = await own(ctx.db)
      .updateTable('api_tokens')
      .set({ revoked_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .where('user_id', '=', ctx.actor.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('token');
    await publish(ctx, 'token.revoked', ctx.actor.workspaceId, 'api_token', id, {});
  });
}

export async function actorFromToken(s: Services, secret: string): Promise<Actor | null> {
  if (!secret.startsWith(tokenPrefix)) return null;
  const now = s.clock.now().toISOString();
  const row = await own(s.db)
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.workspace_id',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
    ])
    .select([
      'users.id as user_id',
      'users.name',
      'users.display_name',
      'users.email',
      'users.role',
      'users.installation_owner',
      'users.disabled',
      'users.must_change_password',
    ])
    .where('api_tokens.token_hash', '=', sha256(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled || (row.expires_at && row.expires_at <= now)) return null;
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) {
    await own(s.db).updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  const role = row.role as Role;
  const scopes = JSON.parse(row.scopes) as Permission[];
  return {
    type: 'token',
    tokenId: row.token_id,
    userId: row.user_id,
    workspaceId: row.workspace_id,
    name: row.display_name || row.name,
    accountName: row.name,
    email: row.email,
    role,
    installationOwner: false, // installation-wide actions need a person at the console
    // installation.ops reaches a token only in the home workspace (scripts of the ops vendor).
    permissions: permissionsFor(role, false, (await homeWorkspaceIds(s)).includes(row.workspace_id)).filter((p) =>
      scopes.includes(p),
    ),
    mustChangePassword: row.must_change_password === 1,
  };
}
