/** Key rotation: sealed ticket field values resealed under the current key, a batch at a time (the privacy module runs it). */
import type { Services } from '../../context.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { own } from './schema.ts';

export async function resealTickets(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('tickets').select(['id', 'fields']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { fields: 'json' }, (id, set, was) =>
    own(s.db).updateTable('tickets').set(set).where('id', '=', id).where('fields', '=', was.fields!).execute(),
  );
}

/** Key rotation: sealed values inside timeline entries (field changes record them sealed). */
export async function resealTicketEvents(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('ticket_events').select(['id', 'data']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { data: 'json' }, (id, set, was) =>
    own(s.db).updateTable('ticket_events').set(set).where('id', '=', id).where('data', '=', was.data!).execute(),
  );
}
