/** Key rotation: two-step secrets resealed under the current key, a batch at a time (the privacy module runs it). */
import type { Services } from '../../context.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { own } from './schema.ts';

export async function resealUsers(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('users').select(['id', 'totp_secret']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { totp_secret: 'value' }, (id, set, was) =>
    own(s.db).updateTable('users').set(set).where('id', '=', id).where('totp_secret', '=', was.totp_secret!).execute(),
  );
}
