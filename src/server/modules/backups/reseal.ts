/** Key rotation: backup targets' secrets resealed under the current key, a batch at a time (the privacy module runs it). */
import type { Services } from '../../context.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { own } from './schema.ts';

export async function resealBackupTargets(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('backup_targets').select(['id', 'secrets_enc']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { secrets_enc: 'value' }, (id, set, was) =>
    own(s.db)
      .updateTable('backup_targets')
      .set(set)
      .where('id', '=', id)
      .where('secrets_enc', '=', was.secrets_enc!)
      .execute(),
  );
}
