/**
 * A third-party store over its REST API, in the shape of Shopify's Admin API (orders by name with
 * their line items, fulfillments and refunds; `X-Shopify-Access-Token`). Every call has a time
 * limit; a slow, failing or garbled answer is `StoreUnavailable`. Orders by customer need the
 * platform's customer id, which Kefu does not map yet: that call returns none.
 */
import { maskName, maskPhone } from '../customers/index.ts';
import { StoreUnavailable, type OrderStatus, type StoreAdapter, type StoreOrder } from './adapter.ts';

type ShopOrder = {
  name: string;
  created_at: string;
  processed_at?: string | null;
  cancelled_at?: string | null;
  financial_status?: string;
  fulfillment_status?: string | null;
  total_price: string;
  currency: string;
  line_items?: { title: string; sku?: string; quantity: number; price: string }[];
  shipping_address?: { name?: string; phone?: string; province?: string; city?: string } | null;
  fulfillments?: {
    tracking_company?: string;
    tracking_number?: string;
    shipment_status?: string | null;
    created_at: string;
    updated_at?: string;
  }[];
  refunds?: { created_at: string; transactions?: { amount: string }[] }[];
};

const cents = (v: string) => Math.round(Number(v) * 100);

function statusOf(o: ShopOrder): OrderStatus {
  if (o.cancelled_at) return o.financial_status === 'refunded' ? 'refunded' : 'cancelled';
  if (o.financial_status === 'refunded') return 'refunded';
  if (o.financial_status === 'partially_refunded') return 'refunding';
  if (o.financial_status === 'pending') return 'unpaid';
  const delivered = o.fulfillments?.some((f) => f.shipment_status === 'delivered');
  if (delivered) return 'delivered';
  if (o.fulfillment_status === 'fulfilled' || o.fulfillment_status === 'partial') return 'shipped';
  return 'paid';
}

export function toStoreOrder(o: ShopOrder): StoreOrder {
  const ful = o.fulfillments ?? [];
  const refund = o.refunds?.[0];
  const a = o.shipping_address;
  return {
    orderNo: o.name.replace(/^#/, ''),
    status: statusOf(o),
    items: (o.line_items ?? []).map((l) => ({ name: l.title, sku: l.sku, qty: l.quantity, price: cents(l.price) })),
    total: cents(o.total_price),
    currency: o.currency,
    createdAt: o.created_at,
    paidAt: o.processed_at ?? null,
    shippedAt: ful[0]?.created_at ?? null,
    deliveredAt: ful.find((f) => f.shipment_status === 'delivered')?.updated_at ?? null,
    receiver: a
      ? {
          name: a.name ? maskName(a.name) : '',
          phone: a.phone ? maskPhone(a.phone) : '',
          region: [a.province, a.city].filter(Boolean).join(' '),
        }
      : null,
    shipments: ful.map((f) => ({
      carrier: f.tracking_company ?? '',
      trackingNo: f.tracking_number ?? '',
      status: f.shipment_status ?? 'in_transit',
      events: [{ at: f.updated_at ?? f.created_at, location: '', text: f.shipment_status ?? 'in_transit' }],
    })),
    refund: refund
      ? {
          status: 'refunded',
          amount: (refund.transactions ?? []).reduce((s, t) => s + cents(t.amount), 0),
          at: refund.created_at,
        }
      : null,
  };
}

export function httpStore(baseUrl: string, token: string, timeoutMs = 3000): StoreAdapter {
  const get = async (path: string): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), {
        headers: { 'x-shopify-access-token': token, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new StoreUnavailable(err);
    }
    if (!res.ok) throw new StoreUnavailable(`HTTP ${res.status}`);
    try {
      return await res.json();
    } catch (err) {
      throw new StoreUnavailable(err);
    }
  };
  return {
    name: 'shopify',
    async orderByNumber(_ws, orderNo) {
      const body = (await get(`/admin/api/2024-10/orders.json?status=any&name=${encodeURIComponent(orderNo)}`)) as {
        orders?: unknown;
      };
      if (!body || !Array.isArray(body.orders)) throw new StoreUnavailable('unexpected answer');
      const o = (body.orders as ShopOrder[]).find((x) => x?.name?.replace(/^#/, '') === orderNo);
      try {
        return o ? toStoreOrder(o) : null;
      } catch (err) {
        throw new StoreUnavailable(err);
      }
    },
    async ordersOfCustomer() {
      return [];
    },
  };
}
