/**
 * For the privacy module: orders' receivers (a shopper's name, phone and address) in an export and
 * emptied by an erasure, and the key rotation's reseal batches (receivers, adapter tokens).
 */
import { sql } from 'kysely';
import type { Services } from '../../context.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { own } from './schema.ts';

/** The shopper's orders with their receivers, decrypted. */
export async function ordersForExport(
  s: Pick<Services, 'db' | 'cipher'>,
  workspaceId: string,
  customerId: string,
): Promise<{ orderNo: string; status: string; createdAt: string; receiver: unknown }[]> {
  const rows = await own(s.db)
    .selectFrom('store_orders')
    .select(['order_no', 'status', 'created_at', 'receiver_enc'])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    orderNo: r.order_no,
    status: r.status,
    createdAt: r.created_at,
    receiver: r.receiver_enc ? (JSON.parse(s.cipher.decrypt(r.receiver_enc)) as unknown) : null,
  }));
}

/** Empties the receivers of the shopper's orders (the caller's unit of work); returns how many orders. */
export async function eraseOrderReceivers(s: Pick<Services, 'db'>, workspaceId: string, customerId: string) {
  const r = await own(s.db)
    .updateTable('store_orders')
    .set({ receiver_enc: null })
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Erasure: the shop's orders cached for this shopper (by their shop customer id) are deleted. */
export async function eraseCachedOrders(s: Pick<Services, 'db'>, workspaceId: string, customerRef: string | null) {
  if (!customerRef) return 0;
  const r = await own(s.db)
    .deleteFrom('store_remote_orders')
    .where('workspace_id', '=', workspaceId)
    .where('customer_ref', '=', customerRef)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function resealOrders(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('store_orders').select(['id', 'receiver_enc']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { receiver_enc: 'value' }, (id, set, was) =>
    own(s.db)
      .updateTable('store_orders')
      .set(set)
      .where('id', '=', id)
      .where('receiver_enc', '=', was.receiver_enc!)
      .execute(),
  );
}

/** Adapter tokens (one row per workspace: the workspace id is the cursor). */
export async function resealStoreSettings(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db)
    .selectFrom('store_settings')
    .select([sql<string>`workspace_id`.as('id'), 'token_enc', 'webhook_secret_enc'])
    .orderBy('workspace_id')
    .limit(limit);
  if (after) q = q.where('workspace_id', '>', after);
  return resealRows(
    s.cipher,
    await q.execute(),
    { token_enc: 'value', webhook_secret_enc: 'value' },
    (id, set, was) => {
      let u = own(s.db).updateTable('store_settings').set(set).where('workspace_id', '=', id);
      if (was.token_enc) u = u.where('token_enc', '=', was.token_enc);
      if (was.webhook_secret_enc) u = u.where('webhook_secret_enc', '=', was.webhook_secret_enc);
      return u.execute();
    },
  );
}

/** The third-party order cache (encrypted orders). */
export async function resealRemoteOrders(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('store_remote_orders').select(['id', 'data_enc']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { data_enc: 'value' }, (id, set, was) =>
    own(s.db)
      .updateTable('store_remote_orders')
      .set(set)
      .where('id', '=', id)
      .where('data_enc', '=', was.data_enc!)
      .execute(),
  );
}
