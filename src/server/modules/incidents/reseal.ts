import type { Services } from '../../context.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { own } from './schema.ts';

/** Re-encrypts notification channels' settings (robot secrets, gateway tokens) with the current key. */
export async function resealIncidentChannels(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('incident_channels').select(['id', 'config']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { config: 'value' }, (id, set, was) =>
    own(s.db)
      .updateTable('incident_channels')
      .set(set)
      .where('id', '=', id)
      .where('config', '=', was.config!)
      .execute(),
  );
}
