/** Key rotation: identity keys of inboxes resealed under the current key, a batch at a time (the privacy module runs it). */
import type { Services } from '../../context.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { own } from './schema.ts';

export async function resealInboxes(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('inboxes').select(['id', 'identity_secret']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { identity_secret: 'value' }, (id, set, was) =>
    own(s.db)
      .updateTable('inboxes')
      .set(set)
      .where('id', '=', id)
      .where('identity_secret', '=', was.identity_secret!)
      .execute(),
  );
}
