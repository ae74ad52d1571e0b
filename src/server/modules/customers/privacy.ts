/**
 * A shopper's own data for the privacy module (PIPL): the full profile for an export, and the
 * erasure of the profile and identities. Erasure keeps the row (tickets, conversations and reports
 * point at it) with every personal column emptied: names, phone, e-mail, the shop's user id, their
 * keyed hashes, the notes, the tags and the visitor ids. Nothing of it can be brought back.
 */
import type { Services } from '../../context.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { own } from './schema.ts';
import { externalIdOf } from './external-id.ts';
import { decryptPii, getCustomerRow } from './service.ts';
import { tagsOf } from './tags.ts';

export type CustomerExport = {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  externalId: string | null;
  tier: string | null;
  tags: string[];
  notes: string;
  createdAt: string;
  lastSeenAt: string | null;
  identities: { channel: string; identifier: string; createdAt: string }[];
};

/** Everything the profile holds about the shopper, decrypted (404 outside the workspace). */
export async function customerForExport(
  s: Pick<Services, 'db' | 'cipher'>,
  workspaceId: string,
  id: string,
): Promise<CustomerExport> {
  const r = await getCustomerRow(s, workspaceId, id);
  const identities = await own(s.db)
    .selectFrom('customer_identities')
    .select(['channel', 'identifier', 'created_at'])
    .where('customer_id', '=', id)
    .orderBy('created_at')
    .execute();
  return {
    id: r.id,
    ...decryptPii(s.cipher, r),
    externalId: externalIdOf(s.cipher, r),
    tier: r.tier,
    tags: (await tagsOf(s.db, [id])).get(id) ?? [],
    notes: r.notes,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    identities: identities.map((i) => ({ channel: i.channel, identifier: i.identifier, createdAt: i.created_at })),
  };
}

/** Empties every personal column of the profile and deletes its identities; the caller's unit of work. */
export async function eraseCustomerProfile(
  s: Pick<Services, 'db' | 'clock'>,
  workspaceId: string,
  id: string,
): Promise<{ identities: number }> {
  await getCustomerRow(s, workspaceId, id);
  const gone = await own(s.db).deleteFrom('customer_identities').where('customer_id', '=', id).executeTakeFirst();
  // Tags are agents' words about the shopper ("投诉过"): personal data too.
  await own(s.db).deleteFrom('customer_tags').where('customer_id', '=', id).execute();
  await own(s.db)
    .updateTable('customers')
    .set({
      name_enc: null,
      phone_enc: null,
      email_enc: null,
      name_idx: null,
      phone_idx: null,
      email_idx: null,
      external_id: null,
      external_idx: null,
      external_enc: null,
      notes: '',
      erased_at: s.clock.now().toISOString(),
      updated_at: s.clock.now().toISOString(),
    })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .execute();
  return { identities: Number(gone.numDeletedRows) };
}

/** Key rotation: a batch of profiles (id order after `after`) with every encrypted column resealed. */
export async function resealCustomers(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db)
    .selectFrom('customers')
    .select(['id', 'name_enc', 'phone_enc', 'email_enc', 'external_enc'])
    .orderBy('id')
    .limit(limit);
  if (after) q = q.where('id', '>', after);
  const cols = { name_enc: 'value', phone_enc: 'value', email_enc: 'value', external_enc: 'value' } as const;
  return resealRows(s.cipher, await q.execute(), cols, (id, set, was) =>
    own(s.db)
      .updateTable('customers')
      .set(set)
      .where('id', '=', id)
      .where((eb) => eb.and(Object.entries(was).map(([c, v]) => eb(c as keyof typeof cols, '=', v as string))))
      .execute(),
  );
}
