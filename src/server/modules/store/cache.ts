/**
 * The local cache of a third-party store's orders: the platform's order as it was last seen
 * (encrypted: it holds the receiver's address), by order number, platform order id and platform
 * customer id. Webhooks and API answers write it; an older version never overwrites a newer one.
 */
import type { Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { orderNoOf, ShopOrder } from './shopify-schema.ts';
import { own, type StoreRemoteOrdersTable } from './schema.ts';

/** Shopify writes local offsets (+08:00): stored and compared as UTC. */
const iso = (t: string) => (Number.isNaN(Date.parse(t)) ? t : new Date(t).toISOString());

type S = Pick<Services, 'cipher' | 'clock'> & { db: Executor };
export type Cached = { order: ShopOrder; source: 'api' | 'webhook'; fetchedAt: string };

function toCached(s: S, r: StoreRemoteOrdersTable): Cached | null {
  const order = ShopOrder.safeParse(JSON.parse(s.cipher.decrypt(r.data_enc)));
  return order.success ? { order: order.data, source: r.source, fetchedAt: r.fetched_at } : null;
}

export async function cachedOrder(s: S, ws: string, orderNo: string): Promise<Cached | null> {
  const r = await own(s.db)
    .selectFrom('store_remote_orders')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('order_no', '=', orderNoOf(orderNo))
    .executeTakeFirst();
  return r ? toCached(s, r) : null;
}

export async function cachedOrderById(s: S, ws: string, remoteId: string): Promise<Cached | null> {
  const r = await own(s.db)
    .selectFrom('store_remote_orders')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('remote_id', '=', remoteId)
    .executeTakeFirst();
  return r ? toCached(s, r) : null;
}

export async function cachedOrdersOfCustomer(s: S, ws: string, customerRef: string, limit: number) {
  const rows = await own(s.db)
    .selectFrom('store_remote_orders')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('customer_ref', '=', customerRef)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => toCached(s, r) ?? []);
}

/**
 * Stores an order unless the cache holds a newer version (by the platform's `updated_at`); keeps
 * the tracking events webhooks collected. Returns the newest version: the cache's when it was
 * newer (a webhook arrived after the API answered), else the one stored.
 */
export async function saveOrder(s: S, ws: string, order: ShopOrder, source: 'api' | 'webhook'): Promise<ShopOrder> {
  const db = own(s.db);
  const orderNo = orderNoOf(order.name);
  const prevRow = await db
    .selectFrom('store_remote_orders')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('order_no', '=', orderNo)
    .executeTakeFirst();
  const prev = prevRow ? toCached(s, prevRow) : null;
  const updatedAt = iso(order.updated_at ?? order.created_at);
  const now = s.clock.now().toISOString();
  if (prev && prevRow && prevRow.remote_updated_at > updatedAt) return prev.order;
  const data = { ...order, kefu_events: { ...prev?.order.kefu_events, ...order.kefu_events } };
  const row = {
    remote_id: order.id,
    customer_ref: order.customer?.id ?? null,
    data_enc: s.cipher.encrypt(JSON.stringify(data)),
    source,
    remote_updated_at: updatedAt,
    created_at: iso(order.created_at),
    fetched_at: now,
  };
  if (prevRow) await db.updateTable('store_remote_orders').set(row).where('id', '=', prevRow.id).execute();
  else
    await db
      .insertInto('store_remote_orders')
      .values({ id: newId('sro'), workspace_id: ws, order_no: orderNo, ...row })
      .execute();
  return data;
}
