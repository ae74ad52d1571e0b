/**
 * Account security: changing the password and turning two-step sign-in on or off. These routes
 * take a console session only (never an API token) and the account's password with every call:
 * a session left open on a shared computer, or stolen, is not enough to take the account over.
 */
import { generateSecret, generateURI } from 'otplib';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { flag } from '../../db/index.ts';
import { AppError, badRequest } from '../../lib/errors.ts';
import { isLocked, openSession, recordFailure, type Origin } from './auth.ts';
import { own, type UsersTable } from './schema.ts';
import { setPassword } from './service.ts';
import { verifyPassword } from './passwords.ts';
import { acceptTotp } from './totp.ts';

/**
 * The caller's row once `password` is confirmed. A wrong one counts toward the lockout like a
 * failed sign-in, so an open session cannot be used to guess the password.
 */
export async function confirmPassword(ctx: Ctx, password: string): Promise<UsersTable> {
  const user = await own(ctx.db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  const ok = await verifyPassword(user.password_hash, password);
  if (isLocked(user, ctx.clock.now()))
    throw new AppError(403, 'account_locked', `too many wrong passwords; try again after ${user.locked_until}`);
  if (!ok) {
    await recordFailure(ctx, user, 'confirmation');
    throw new AppError(400, 'wrong_password', 'the password is wrong');
  }
  return user;
}

/**
 * Changes the password, ending every session and (unless the caller chose to keep them, which is
 * audited) revoking the caller's API tokens; opens a fresh session for the caller.
 */
export async function changePassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string; revokeTokens: boolean },
  origin: Origin,
): Promise<{ token: string; tokensRevoked: number }> {
  const user = await confirmPassword(ctx, input.currentPassword);
  if (input.currentPassword === input.newPassword)
    throw badRequest('the new password must differ from the current one');
  return unitOfWork(ctx, async (ctx) => {
    const tokensRevoked = await setPassword(ctx, user.id, input.newPassword, false, {
      revokeTokens: input.revokeTokens,
    });
    await publish(ctx, 'user.password_changed', user.workspace_id, 'user', user.id, {
      revokeTokens: input.revokeTokens,
      tokensRevoked,
    });
    const fresh = await own(ctx.db).selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    return { token: (await openSession(ctx, fresh, origin)).token, tokensRevoked };
  });
}

export async function totpSetup(ctx: Ctx, password: string): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await confirmPassword(ctx, password);
  if (user.totp_enabled) throw badRequest('two-factor sign-in is already on; turn it off first');
  const secret = generateSecret();
  await own(ctx.db)
    .updateTable('users')
    .set({ totp_secret: ctx.cipher.encrypt(secret), totp_last_step: null })
    .where('id', '=', user.id)
    .execute();
  return { secret, otpauthUrl: generateURI({ issuer: 'Kefu', label: user.email, secret }) };
}

export async function totpEnable(ctx: Ctx, code: string, password: string): Promise<void> {
  const user = await confirmPassword(ctx, password);
  if (user.totp_enabled) throw badRequest('two-factor sign-in is already on');
  if (!user.totp_secret) throw badRequest('set up two-factor sign-in first');
  if (!(await acceptTotp(ctx, user, code)))
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
  const user = await confirmPassword(ctx, password);
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .updateTable('users')
      .set({ totp_enabled: 0, totp_secret: null, totp_last_step: null })
      .where('id', '=', user.id)
      .execute();
    await publish(ctx, 'user.totp_disabled', user.workspace_id, 'user', user.id, {});
  });
}
