/**
 * The Shopify adapter: a small typed client of Shopify's Admin REST API (orders by name, a
 * customer's orders; line items, fulfillments with tracking, refunds; `X-Shopify-Access-Token`),
 * and not `@shopify/shopify-api`: that library sends through one process-wide fetch it owns, so
 * Kefu's SSRF guard (lib/outbound.ts: the address actually connected to, every redirect) and a
 * per-call time limit could not be put on each workspace's requests, and its retries wait past the
 * time the bot and the sidebar can give a lookup. What the library adds beyond this (OAuth app
 * installation, GraphQL, sessions) Kefu does not use.
 *
 * Every call has a time limit; a slow, failing or garbled answer is `StoreUnavailable`. Orders are
 * cached locally (cache.ts): HMAC-verified webhooks (webhooks.ts) keep the cache current, so a shop
 * that is down still answers from it. A customer's orders need the platform's customer id: Kefu
 * takes a verified shopper's shop user id (the customer's external id) as the Shopify customer id.
 */
import { z } from 'zod';
import type { Services } from '../../context.ts';
import { outboundRequest, parseAllowList, type AllowList } from '../../lib/outbound.ts';
import { externalIdOf, getCustomerRow, maskName, maskPhone } from '../customers/index.ts';
import {
  StoreUnavailable,
  type OrderStatus,
  type StoreAdapter,
  type StoreOrder,
  type TrackingEvent,
} from './adapter.ts';
import { cachedOrder, cachedOrdersOfCustomer, saveOrder, type Cached } from './cache.ts';
import { orderNoOf, ShopOrder } from './shopify-schema.ts';
import { shipmentStatusText } from './messages.ts';

export { orderNoOf, ShopOrder } from './shopify-schema.ts';

export const apiVersion = '2024-10';

const cents = (v: string) => Math.round(Number(v) * 100);

function statusOf(o: ShopOrder): OrderStatus {
  if (o.cancelled_at) return o.financial_status === 'refunded' ? 'refunded' : 'cancelled';
  if (o.financial_status === 'refunded') return 'refunded';
  if (o.financial_status === 'partially_refunded') return 'refunding';
  if (o.financial_status === 'pending') return 'unpaid';
  if (o.fulfillments.some((f) => f.shipment_status === 'delivered')) return 'delivered';
  if (o.fulfillment_status === 'fulfilled' || o.fulfillment_status === 'partial') return 'shipped';
  return 'paid';
}

export function toStoreOrder(o: ShopOrder): StoreOrder {
  const ful = o.fulfillments.filter((f) => f.status !== 'cancelled');
  const refund = o.refunds.at(-1);
  const a = o.shipping_address;
  return {
    orderNo: orderNoOf(o.name),
    status: statusOf(o),
    items: o.line_items.map((l) => ({
      name: l.title,
      sku: l.sku ?? undefined,
      qty: l.quantity,
      price: cents(l.price),
    })),
    total: cents(o.total_price),
    currency: o.currency,
    createdAt: o.created_at,
    paidAt: o.financial_status === 'pending' ? null : (o.processed_at ?? null),
    shippedAt: ful[0]?.created_at ?? null,
    deliveredAt: ful.find((f) => f.shipment_status === 'delivered')?.updated_at ?? null,
    receiver: a
      ? {
          name: a.name ? maskName(a.name) : '',
          phone: a.phone ? maskPhone(a.phone) : '',
          region: [a.province, a.city].filter(Boolean).join(' '),
        }
      : null,
    shipments: ful.map((f) => {
      const events: TrackingEvent[] = o.kefu_events?.[f.id] ?? [];
      const status = f.shipment_status ?? 'confirmed';
      return {
        carrier: f.tracking_company ?? '',
        trackingNo: f.tracking_number ?? '',
        status,
        events: events.length
          ? [...events].sort((x, y) => x.at.localeCompare(y.at))
          : [
              {
                at: f.updated_at ?? f.created_at,
                location: '',
                text: shipmentStatusText['zh-CN'][status] ?? status,
                code: status,
              },
            ],
      };
    }),
    refund: refund
      ? {
          status:
            o.financial_status === 'refunded' || o.financial_status === 'partially_refunded'
              ? 'refunded'
              : 'processing',
          amount: refund.transactions.filter((t) => t.kind !== 'void').reduce((s, t) => s + cents(t.amount), 0),
          at: refund.created_at,
        }
      : null,
  };
}

export type ShopifyOptions = {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  /** The installation's outboundAllowList (private addresses the shop may be at: the tests' fake). */
  allow?: AllowList;
};

/** The Admin API's GET, guarded and time-limited; anything but JSON with a 2xx is StoreUnavailable. */
export function shopifyGet(o: ShopifyOptions) {
  return async (path: string): Promise<unknown> => {
    let res;
    try {
      res = await outboundRequest(new URL(path, o.baseUrl).toString(), {
        headers: { 'x-shopify-access-token': o.token, accept: 'application/json' },
        timeoutMs: o.timeoutMs ?? 3000,
        maxBytes: 4 << 20,
        maxRedirects: 2,
        allow: o.allow ?? parseAllowList(''),
      });
    } catch (err) {
      throw new StoreUnavailable(err);
    }
    if (res.status < 200 || res.status >= 300) throw new StoreUnavailable(`HTTP ${res.status}`);
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch (err) {
      throw new StoreUnavailable(err);
    }
  };
}

const OrdersAnswer = z.object({ orders: z.array(z.unknown()) });
/** Orders of an answer: the ones that parse (one odd order does not hide the others). */
function ordersOf(body: unknown): ShopOrder[] {
  const r = OrdersAnswer.safeParse(body);
  if (!r.success) throw new StoreUnavailable('unexpected answer');
  return r.data.orders.flatMap((x) => {
    const o = ShopOrder.safeParse(x);
    return o.success ? [o.data] : [];
  });
}

/** Cached rows are used as they are while webhooks keep them (a day) or a fetch is recent (5 minutes). */
const fresh = (c: Cached, now: number) =>
  now - Date.parse(c.fetchedAt) < (c.source === 'webhook' ? 86_400_000 : 300_000);

type S = Pick<Services, 'db' | 'cipher' | 'clock'>;

export function httpStore(s: S | null, o: ShopifyOptions): StoreAdapter {
  const get = shopifyGet(o);
  return {
    name: 'shopify',
    async orderByNumber(ws, orderNo) {
      const cached = s ? await cachedOrder(s, ws, orderNo) : null;
      if (s && cached && fresh(cached, s.clock.now().getTime())) return toStoreOrder(cached.order);
      try {
        const found = ordersOf(
          await get(`/admin/api/${apiVersion}/orders.json?status=any&name=${encodeURIComponent(orderNo)}`),
        ).find((x) => orderNoOf(x.name) === orderNoOf(orderNo));
        if (!found) return null;
        return toStoreOrder(s ? await saveOrder(s, ws, found, 'api') : found);
      } catch (err) {
        if (cached && err instanceof StoreUnavailable) return toStoreOrder(cached.order);
        throw err;
      }
    },
    async ordersOfCustomer(ws, customerId, limit) {
      if (!s) return [];
      const row = await getCustomerRow(s, ws, customerId).catch(() => null);
      const ref = row ? externalIdOf(s.cipher, row) : null;
      if (!ref || !/^\d{1,20}$/.test(ref)) return [];
      try {
        const orders = ordersOf(
          await get(`/admin/api/${apiVersion}/customers/${ref}/orders.json?status=any&limit=${Math.min(limit, 50)}`),
        );
        const out: StoreOrder[] = [];
        for (const x of orders) {
          out.push(toStoreOrder(await saveOrder(s, ws, x, 'api')));
        }
        return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
      } catch (err) {
        if (!(err instanceof StoreUnavailable)) throw err;
        const cached = await cachedOrdersOfCustomer(s, ws, ref, limit);
        if (!cached.length) throw err;
        return cached.map((c) => toStoreOrder(c.order));
      }
    },
  };
}
