/**
 * TOTP codes (RFC 6238, 30-second steps, one step of clock drift either way). A code is accepted
 * once: the step it belongs to is stored, and a later code must belong to a later step, so a code
 * seen over a shoulder or in a proxy's log cannot be replayed within its window.
 */
import { verify } from 'otplib';
import type { Services } from '../../context.ts';
import { own, type UsersTable } from './schema.ts';

/** Whether `code` is good for the user's secret (`secretBox`, or the stored one) and not used before; records its step. */
export async function acceptTotp(
  s: Services,
  user: Pick<UsersTable, 'id' | 'totp_secret' | 'totp_last_step'>,
  code: string,
): Promise<boolean> {
  if (!user.totp_secret) return false;
  const r = await verify({
    secret: s.cipher.decrypt(user.totp_secret),
    token: code,
    epoch: Math.floor(s.clock.now().getTime() / 1000),
    epochTolerance: 30,
    afterTimeStep: user.totp_last_step ?? undefined,
  });
  if (!r.valid || !('timeStep' in r)) return false;
  // Conditional on the stored step, so two requests racing with one code cannot both pass.
  const claimed = await own(s.db)
    .updateTable('users')
    .set({ totp_last_step: r.timeStep })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', r.timeStep)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) > 0;
}
