/**
 * Signing in and out: argon2 passwords, lockout after repeated failures (wrong passwords and wrong
 * two-step codes alike), optional TOTP, sessions stored by the hash of their cookie value, each
 * with its own CSRF token, an idle and an absolute lifetime.
 */
import type { Me } from '../../../shared/api.ts';
import { permissionsFor, type Role } from '../../../shared/permissions.ts';
import type { Config } from '../../config.ts';
import { publish, unitOfWork, type Actor, type Ctx, type Scope, type Services } from '../../context.ts';
import { AppError, badRequest, unauthenticated } from '../../lib/errors.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { queueMail } from '../../lib/mailer.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { homeWorkspaceIds } from './directory.ts';
import { own, type UsersTable } from './schema.ts';
import { toUser } from './service.ts';
import { verifyPassword } from './passwords.ts';
import { acceptTotp } from './totp.ts';

/**
 * The session cookie's name. Over HTTPS it takes the `__Host-` prefix: browsers then accept it
 * only when Secure, for path / and without a Domain, so a sibling subdomain cannot plant or
 * overwrite it.
 */
export const sessionCookieName = (config: Pick<Config, 'secureCookies'>): string =>
  config.secureCookies ? '__Host-kefu_session' : 'kefu_session';

export type Origin = { ip: string | null; userAgent: string | null };

export function actorFromUser(u: UsersTable, workspaceId: string, extra: Partial<Actor>, home = false): Actor {
  // The installation owner is an owner in every workspace it switches into.
  const role: Role = u.installation_owner === 1 ? 'owner' : (u.role as Role);
  return {
    type: 'user',
    userId: u.id,
    workspaceId,
    // The name colleagues know them by (timelines, incidents, notifications, the audit log).
    name: u.display_name || u.name,
    accountName: u.name,
    email: u.email,
    role,
    installationOwner: u.installation_owner === 1,
    permissions: permissionsFor(role, u.installation_owner === 1, home),
    mustChangePassword: u.must_change_password === 1,
    ...extra,
  };
}

const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'wrong e-mail or password, or the account is disabled or locked');

export const isLocked = (u: Pick<UsersTable, 'locked_until'>, now: Date): boolean =>
  !!u.locked_until && u.locked_until > now.toISOString();

/**
 * Counts a failed attempt (a wrong password, a wrong two-step code, a wrong password confirmation)
 * and locks the account when there were too many. The lock is announced once: an audit entry
 * and an e-mail to the account's owner, who is the one to learn of it (sign-in answers alike).
 */
export async function recordFailure(
  s: Scope,
  user: UsersTable,
  reason: 'password' | 'totp' | 'confirmation',
): Promise<void> {
  const now = s.clock.now();
  await unitOfWork(s, async (tx) => {
    const db = own(tx.db);
    const { failed_logins: failures } = await db
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', user.id)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    const until = new Date(now.getTime() + tx.config.lockoutMinutes * 60_000).toISOString();
    // Only the attempt that crosses the line locks (and mails), even when several race.
    const locked =
      failures >= tx.config.loginMaxFailures &&
      Number(
        (
          await db
            .updateTable('users')
            .set({ failed_logins: 0, locked_until: until })
            .where('id', '=', user.id)
            .where('failed_logins', '>=', tx.config.loginMaxFailures)
            .executeTakeFirst()
        ).numUpdatedRows,
      ) > 0;
    const why = reason === 'password' ? {} : { reason };
    if (!locked) return publish(tx, 'user.login_failed', user.workspace_id, 'user', user.id, { failures, ...why });
    await publish(tx, 'user.locked_out', user.workspace_id, 'user', user.id, { failures, ...why });
    await queueMail(tx, user.workspace_id, lockoutMail(user.email, until, tx.ip ?? null));
  });
}

function lockoutMail(to: string, until: string, ip: string | null) {
  const from = ip ? ` (${ip})` : '';
  return {
    to,
    subject: 'Kefu: your account was locked / 您的账号已被锁定',
    text: [
      `您的客服系统账号 ${to} 因多次登录失败${from}已被暂时锁定，将于 ${until}（UTC）自动解锁。`,
      '如果不是您本人操作，请在解锁后立即修改密码并开启两步验证；管理员也可以提前为您解锁。',
      '',
      `Your Kefu account ${to} was locked after repeated failed sign-ins${from}. It unlocks at ${until} (UTC).`,
      'If this was not you, change your password once it unlocks and turn on two-step verification;',
      'an administrator can unlock it sooner.',
    ].join('\n'),
  };
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
  // The password is checked even for a locked account, so the answer's timing does not tell either.
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || user.disabled || isLocked(user, now) || !passwordOk) {
    if (user && !user.disabled && !isLocked(user, now)) await recordFailure(sys, user, 'password');
    throw invalidCredentials();
  }
  if (user.totp_enabled) {
    if (!input.totp) throw new AppError(401, 'totp_required', 'enter the 6-digit code from your authenticator app');
    if (!(await acceptTotp(s, user, input.totp))) {
      await recordFailure(sys, user, 'totp');
      throw new AppError(401, 'invalid_totp', 'the 6-digit code is wrong, expired or already used');
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

/** When a session opened at `createdAt` and last used `now` expires: idle lifetime, capped by the absolute one. */
function expiryOf(config: Config, createdAt: Date, now: Date): string {
  const idle = now.getTime() + config.sessionTtlHours * 3600_000;
  const absolute = createdAt.getTime() + config.sessionMaxHours * 3600_000;
  return new Date(Math.min(idle, absolute)).toISOString();
}

/** Opens a session for a verified user; returns the cookie value (shown to nobody else). */
export async function openSession(
  s: Services,
  user: UsersTable,
  origin: Origin,
): Promise<{ token: string; actor: Actor }> {
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
      expires_at: expiryOf(s.config, now, now),
    })
    .execute();
  const home = (await homeWorkspaceIds(s)).includes(user.workspace_id);
  return {
    token,
    actor: actorFromUser(user, user.workspace_id, { sessionId: sha256(token), csrfToken: csrf }, home),
  };
}

/**
 * Resolves a session cookie. Sessions slide: each use pushes the idle expiry forward (at most once
 * a minute), but never past the absolute lifetime counted from sign-in.
 */
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
      'sessions.created_at as session_created_at',
    ])
    .where('sessions.id', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString() || row.disabled) return null;
  const opened = new Date(row.session_created_at);
  if (now.getTime() >= opened.getTime() + s.config.sessionMaxHours * 3600_000) return null;
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await own(s.db)
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: expiryOf(s.config, opened, now) })
      .where('id', '=', row.session_id)
      .execute();
  }
  const home = (await homeWorkspaceIds(s)).includes(row.session_workspace);
  return actorFromUser(row, row.session_workspace, { sessionId: row.session_id, csrfToken: row.csrf_token }, home);
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

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}
