/**
 * Exact customer lookups for search boxes: each kind of query is answered by its own index (the
 * keyed hashes of phone, e-mail and name; the shop's user id), never by ORing them together or by
 * a text scan, and the caller learns which kind matched (the console shows it).
 */
import type { Services } from '../../context.ts';
import { externalIndex } from './external-id.ts';
import { own } from './schema.ts';

export type ExactCustomerKind = 'phone' | 'email' | 'name' | 'external';

const emailShape = /^[^\s@]+@[^\s@]+$/;
const phoneShape = /^\+?[\d\s()-]{7,24}$/;

/** The kind a query looks like before any lookup (phone and e-mail by shape; anything may be a name). */
export function customerQueryKind(q: string): 'phone' | 'email' | null {
  if (emailShape.test(q)) return 'email';
  const digits = q.replace(/\D/g, '').length;
  return phoneShape.test(q) && digits >= 7 && digits <= 15 ? 'phone' : null;
}

/** Customers whose phone, e-mail, name or shop user id equals `q` exactly, with the kind that matched; null when none. */
export async function exactCustomerIds(
  s: Pick<Services, 'db' | 'cipher'>,
  workspaceId: string,
  q: string,
): Promise<{ kind: ExactCustomerKind; ids: string[] } | null> {
  const by = async (
    column: 'phone_idx' | 'email_idx' | 'name_idx' | 'external_idx' | 'external_id',
    values: string[],
  ) =>
    (
      await own(s.db)
        .selectFrom('customers')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where(column, 'in', [...new Set(values)])
        .limit(200)
        .execute()
    ).map((r) => r.id);
  const shape = customerQueryKind(q);
  if (shape === 'email') {
    const ids = await by('email_idx', [s.cipher.blindIndex(q)]);
    if (ids.length) return { kind: 'email', ids };
  }
  if (shape === 'phone') {
    // Stored phones are hashed without spaces and dashes (encryptPii).
    const ids = await by('phone_idx', [s.cipher.blindIndex(q.replace(/[\s-]/g, '')), s.cipher.blindIndex(q)]);
    if (ids.length) return { kind: 'phone', ids };
  }
  if (shape) return null;
  const names = await by('name_idx', [s.cipher.blindIndex(q)]);
  if (names.length) return { kind: 'name', ids: names };
  // The shop's user id: by its keyed hash, and as stored in plain before it was encrypted (rows
  // not yet converted by the customers.encrypt_external_ids job).
  const external = [...(await by('external_idx', [externalIndex(s.cipher, q)])), ...(await by('external_id', [q]))];
  return external.length ? { kind: 'external', ids: [...new Set(external)] } : null;
}
