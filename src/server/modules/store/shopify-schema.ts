/** The parts of Shopify's Admin API and webhook bodies Kefu reads (unknown fields pass through). */
import { z } from 'zod';

const money = z.union([z.string(), z.number()]).transform((v) => String(v));
const id = z.union([z.number(), z.string()]).transform((v) => String(v));
/** The parts of Shopify's order Kefu reads (unknown fields pass through: the cache keeps them). */
export const ShopOrder = z.looseObject({
  id,
  name: z.string().min(1).max(64),
  created_at: z.string(),
  updated_at: z.string().optional(),
  processed_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  total_price: money,
  currency: z.string().max(8),
  customer: z.looseObject({ id }).nullish(),
  line_items: z
    .array(z.looseObject({ title: z.string(), sku: z.string().nullish(), quantity: z.number(), price: money }))
    .default([]),
  shipping_address: z
    .looseObject({
      name: z.string().nullish(),
      phone: z.string().nullish(),
      province: z.string().nullish(),
      city: z.string().nullish(),
    })
    .nullish(),
  fulfillments: z.array(z.lazy(() => ShopFulfillment)).default([]),
  refunds: z.array(z.lazy(() => ShopRefund)).default([]),
  /** Kefu's own: tracking events per fulfillment id, from `fulfillment_events/create` webhooks. */
  kefu_events: z
    .record(z.string(), z.array(z.object({ at: z.string(), location: z.string(), text: z.string() })))
    .optional(),
});
export type ShopOrder = z.output<typeof ShopOrder>;
export const ShopFulfillment = z.looseObject({
  id,
  order_id: id.optional(),
  status: z.string().nullish(),
  tracking_company: z.string().nullish(),
  tracking_number: z.string().nullish(),
  shipment_status: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
});
export const ShopRefund = z.looseObject({
  id,
  order_id: id.optional(),
  created_at: z.string(),
  transactions: z
    .array(z.looseObject({ amount: money, kind: z.string().nullish(), status: z.string().nullish() }))
    .default([]),
});

export const orderNoOf = (name: string) => name.replace(/^#/, '');
