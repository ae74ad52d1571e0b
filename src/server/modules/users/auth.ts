/**
 * Signing in and out: argon2 passwords, lockout after repeated failures, optional TOTP,
 * sessions stored by the hash of their cookie value, each with its own CSRF token.
 */
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { Me } from '../../../shared/api.ts';
import { permissionsFor, type Role } from '../../../shared/permissions.ts';
import { publish, unitOfWork, type Actor, type Ctx, type Services } from '../../context.ts';
import { flag } from '../../db/index.ts';
import { AppError, badRequest, unauthenticated } from '../../lib/errors.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { own, type UsersTable } from './schema.ts';
import { setPassword, toUser } from './service.ts';
import { verifyPassword } from './passwords.ts';

export const sessionCookie = 'kefu_session';

type Origin = { ip: string | null; userAgent: string | null };

function actorFromUser(u: UsersTable, workspaceId: string, extra: Partial<Actor>): Actor {
  // The installation owner is an owner in every workspace it switches into.
  const role: Role = u.installation_owner === 1 ? 'owner' : (u.role as Role);
  return {
    type: 'user',
    userId: u.id,
    workspaceId,
    name: u.name,
    email: u.email,
    role,
    installationOwner: u.installation_owner === 1,
    permissions: permissionsFor(role, u.installation_owner === 1),
    ...extra,
  };
}

async function totpOk(s: Services, secretBox: string | null, code: string | undefined): Promise<boolean> {
  if (!secretBox || !code) return false;
  const secret = s.cipher.decrypt(secretBox);
  const r = await verifyTotp({
    secret,
    token: code,
    epoch: Math.floor(s.clock.now().getTime() / 1000),
    epochTolerance: 30,
  });
  return r.valid;
}

/** Verifies credentials and opens a session; returns the cookie value (shown to nobody else). */
export async function login(
  s: Services,
  input: { email: string; password: string; totp?: string },
  origin: Origin,
): Promise<{ token: string; actor: Actor }> {
  const now = s.clock.now();
  const user = await own(s.db).selectFrom('users').selectAll().where('email', '=', input.email).executeTakeFirst();
  const sys = { ...s, ip: origin.ip, actor: null };
  if (user?.locked_until && user.locked_until > now.toISOString()) {
    throw new AppError(423, 'account_locked', `too many failed sign-ins; try again after ${user.locked_until}`);
  }
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !passwordOk || user.disabled) {
    if (user && !user.disabled) {
      const failures = user.failed_logins + 1;
      const lock = failures >= s.config.loginMaxFailures;
      await own(s.db)
        .updateTable('users')
        .set({
          failed_logins: lock ? 0 : failures,
          locked_until: lock
            ? new Date(now.getTime() + s.config.lockoutMinutes * 60_000).toISOString()
            : user.locked_until,
        })
        .where('id', '=', user.id)
        .execute();
      await publish(sys, lock ? 'user.locked_out' : 'user.login_failed', user.workspace_id, 'user', user.id, {
        failures,
      });
    }
    throw new AppError(401, 'invalid_credentials', 'wrong e-mail or password, or the account is disabled');
  }
  if (user.totp_enabled) {
    if (!input.totp) throw new AppError(401, 'totp_required', 'enter the 6-digit code from your authenticator app');
    if (!(await totpOk(s, user.totp_secret, input.totp))) {
      await publish(sys, 'user.login_failed', user.workspace_id, 'user', user.id, { reason: 'totp' });
      throw new AppError(401, 'invalid_totp', 'the 6-digit code is wrong or expired');
    }
  }
  return unitOfWork(sys, async (tx) => {
    const opened = await openSession(tx, user, origin);
    await own(tx.db)
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() })
      .where('id', '=', user.id)
      .execute();
    await publish({ ...tx, actor: opened.actor }, 'user.logged_in', user.workspace_id, 'user', user.id, {
      userAgent: origin.userAgent,
    });
    return opened;
  });
}

/** Opens a session for a verified user; returns the cookie value (shown to nobody else). */
async function openSession(s: Services, user: UsersTable, origin: Origin): Promise<{ token: string; actor: Actor }> {
  const now = s.clock.now();
  const token = randomToken();
  const csrf = randomToken(24);
  const nowIso = now.toISOString();
  await own(s.db)
    .insertInto('sessions')
    .values({
      id: sha256(token),
      workspace_id: user.workspace_id,
      user_id: user.id,
      csrf_token: csrf,
      ip: origin.ip,
      user_agent: origin.userAgent?.slice(0, 300) ?? null,
      created_at: nowIso,
      last_seen_at: nowIso,
      expires_at: new Date(now.getTime() + s.config.sessionTtlHours * 3600_000).toISOString(),
    })
    .execute();
  return { token, actor: actorFromUser(user, user.workspace_id, { sessionId: sha256(token), csrfToken: csrf }) };
}

/** Resolves a session cookie; sessions slide: each use pushes the idle expiry forward (at most once a minute). */
export async function actorFromSession(s: Services, token: string): Promise<Actor | null> {
  const now = s.clock.now();
  const row = await own(s.db)
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as session_id',
      'sessions.workspace_id as session_workspace',
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.last_seen_at',
    ])
    .where('sessions.id', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString() || row.disabled) return null;
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await own(s.db)
      .updateTable('sessions')
      .set({
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + s.config.sessionTtlHours * 3600_000).toISOString(),
      })
      .where('id', '=', row.session_id)
      .execute();
  }
  return actorFromUser(row, row.session_workspace, { sessionId: row.session_id, csrfToken: row.csrf_token });
}

export async function logout(ctx: Ctx): Promise<void> {
  await unitOfWork(ctx, async (ctx) => {
    if (ctx.actor.sessionId) await own(ctx.db).deleteFrom('sessions').where('id', '=', ctx.actor.sessionId).execute();
    await publish(ctx, 'user.logged_out', ctx.actor.workspaceId, 'user', ctx.actor.userId, {});
  });
}

export async function me(ctx: Ctx): Promise<Me> {
  const user = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  return {
    user: { ...toUser(user), role: ctx.actor.role },
    workspace: await getWorkspace(ctx, ctx.actor.workspaceId),
    permissions: ctx.actor.permissions,
    csrfToken: ctx.actor.csrfToken ?? '',
  };
}

/** The installation owner moves their session into another workspace (as its owner). */
export async function switchWorkspace(ctx: Ctx, workspaceId: string): Promise<void> {
  if (!ctx.actor.sessionId) throw badRequest('only a console session can switch workspace');
  await getWorkspace(ctx, workspaceId);
  await unitOfWork(ctx, async (tx) => {
    await own(tx.db)
      .updateTable('sessions')
      .set({ workspace_id: workspaceId })
      .where('id', '=', ctx.actor.sessionId!)
      .execute();
    await publish(tx, 'user.switched_workspace', workspaceId, 'workspace', workspaceId, {
      from: ctx.actor.workspaceId,
    });
  });
  ctx.actor = { ...ctx.actor, workspaceId, role: 'owner', permissions: permissionsFor('owner', true) };
}

/** Changes the password, ending every session, and opens a fresh one for the caller. */
export async function changePassword(
  ctx: Ctx,
  current: string,
  next: string,
  origin: Origin,
): Promise<{ token: string }> {
  const user = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current)))
    throw new AppError(400, 'wrong_password', 'the current password is wrong');
  if (current === next) throw badRequest('the new password must differ from the current one');
  return unitOfWork(ctx, async (ctx) => {
    await setPassword(ctx, user.id, next, false);
    await publish(ctx, 'user.password_changed', user.workspace_id, 'user', user.id, {});
    const fresh = await own(ctx.db).selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    return openSession(ctx, fresh, origin);
  });
}

export async function totpSetup(ctx: Ctx): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  if (user.totp_enabled) throw badRequest('two-factor sign-in is already on; turn it off first');
  const secret = generateSecret();
  await own(ctx.db)
    .updateTable('users')
    .set({ totp_secret: ctx.cipher.encrypt(secret) })
    .where('id', '=', user.id)
    .execute();
  return { secret, otpauthUrl: generateURI({ issuer: 'Kefu', label: user.email, secret }) };
}

export async function totpEnable(ctx: Ctx, code: string): Promise<void> {
  const user = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  if (!user.totp_secret) throw badRequest('set up two-factor sign-in first');
  if (!(await totpOk(ctx, user.totp_secret, code)))
    throw new AppError(400, 'invalid_totp', 'the 6-digit code is wrong or expired');
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .updateTable('users')
      .set({ totp_enabled: flag(true) })
      .where('id', '=', user.id)
      .execute();
    await publish(ctx, 'user.totp_enabled', user.workspace_id, 'user', user.id, {});
  });
}

export async function totpDisable(ctx: Ctx, password: string): Promise<void> {
  const user = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, password)))
    throw new AppError(400, 'wrong_password', 'the password is wrong');
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .updateTable('users')
      .set({ totp_enabled: 0, totp_secret: null })
      .where('id', '=', user.id)
      .execute();
    await publish(ctx, 'user.totp_disabled', user.workspace_id, 'user', user.id, {});
  });
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}
