/** The shop's user id of a verified shopper: stored encrypted, found by a keyed hash. */
import type { Cipher } from '../../lib/crypto.ts';
import type { CustomersTable } from './schema.ts';

/**
 * The keyed hash of a shop's user id. blindIndex lowercases (right for e-mails, wrong for ids:
 * "Ab" and "ab" may be two shoppers), so the id goes in as hex, which keeps every difference.
 */
export const externalIndex = (cipher: Cipher, externalId: string): string =>
  cipher.blindIndex(`ext:${Buffer.from(externalId, 'utf8').toString('hex')}`);

/** The shop's user id of a customer (decrypted; rows written before encryption hold it plain). */
export function externalIdOf(cipher: Cipher, r: Pick<CustomersTable, 'external_enc' | 'external_id'>): string | null {
  return r.external_enc ? cipher.decrypt(r.external_enc) : r.external_id;
}
