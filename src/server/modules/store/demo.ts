/** The built-in demo store: orders and shipments in Kefu's own tables (seeded with realistic data). */
import type { Services } from '../../context.ts';
import { maskName, maskPhone } from '../customers/index.ts';
import { maskAddress, type OrderStatus, type StoreAdapter, type StoreOrder } from './adapter.ts';
import { own, type StoreOrdersTable } from './schema.ts';

export function demoStore(s: Pick<Services, 'db' | 'cipher'>): StoreAdapter {
  const toOrders = async (rows: StoreOrdersTable[]): Promise<StoreOrder[]> => {
    if (!rows.length) return [];
    const ships = await own(s.db)
      .selectFrom('store_shipments')
      .selectAll()
      .where(
        'order_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => {
      let receiver: StoreOrder['receiver'] = null;
      if (r.receiver_enc) {
        const p = JSON.parse(s.cipher.decrypt(r.receiver_enc)) as { name: string; phone: string; address: string };
        receiver = { name: maskName(p.name), phone: maskPhone(p.phone), region: maskAddress(p.address) };
      }
      return {
        orderNo: r.order_no,
        status: r.status as OrderStatus,
        items: JSON.parse(r.items) as StoreOrder['items'],
        total: r.total,
        currency: r.currency,
        createdAt: r.created_at,
        paidAt: r.paid_at,
        shippedAt: r.shipped_at,
        deliveredAt: r.delivered_at,
        receiver,
        shipments: ships
          .filter((x) => x.order_id === r.id)
          .map((x) => ({
            carrier: x.carrier,
            trackingNo: x.tracking_no,
            status: x.status,
            events: JSON.parse(x.events) as StoreOrder['shipments'][number]['events'],
          })),
        refund: r.refund ? (JSON.parse(r.refund) as StoreOrder['refund']) : null,
      };
    });
  };
  return {
    name: 'demo',
    async orderByNumber(workspaceId, orderNo) {
      const rows = await own(s.db)
        .selectFrom('store_orders')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('order_no', '=', orderNo.toUpperCase())
        .execute();
      return (await toOrders(rows))[0] ?? null;
    },
    async ordersOfCustomer(workspaceId, customerId, limit) {
      const rows = await own(s.db)
        .selectFrom('store_orders')
        .selectAll()
        .where('customer_id', '=', customerId)
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return toOrders(rows);
    },
  };
}
