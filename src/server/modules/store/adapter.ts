/**
 * What the bot and the agents' sidebar ask of a store, whichever it is: orders (with items,
 * shipments and their tracking events, refunds) by order number or by customer. The built-in demo
 * store reads Kefu's own tables; other adapters call a platform's API. Answers are masked: a
 * receiver's name, phone and address never leave an adapter unmasked.
 */
export const orderStatuses = [
  'unpaid',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunding',
  'refunded',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** `code`: a platform's shipment status (store/messages.ts words it per language); `text`: its zh-CN words, or the carrier's own. */
export type TrackingEvent = { at: string; location: string; text: string; code?: string };
export type Shipment = { carrier: string; trackingNo: string; status: string; events: TrackingEvent[] };
export type StoreOrder = {
  orderNo: string;
  status: OrderStatus;
  items: { name: string; sku?: string; qty: number; price: number }[];
  total: number;
  currency: string;
  createdAt: string;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  /** Masked: 张** / 138****1234 / the city and district only. */
  receiver: { name: string; phone: string; region: string } | null;
  shipments: Shipment[];
  refund: { status: string; amount: number; at: string } | null;
};

export type StoreAdapter = {
  name: string;
  orderByNumber(workspaceId: string, orderNo: string): Promise<StoreOrder | null>;
  ordersOfCustomer(workspaceId: string, customerId: string, limit: number): Promise<StoreOrder[]>;
};

/** The store did not answer (down, slow, refused): the bot says so and offers a human. */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the store did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A tracking number with its middle hidden (SF1234****5678), as shoppers see it. */
export const maskTracking = (no: string) => (no.length <= 8 ? no : `${no.slice(0, 6)}****${no.slice(-4)}`);

/** "Province City District street…" → the first two parts only. */
export function maskAddress(address: string): string {
  const parts = address.split(/\s+/).filter(Boolean);
  return parts.length > 1 ? parts.slice(0, 2).join(' ') : (address.match(/^.{0,6}/)?.[0] ?? '');
}
