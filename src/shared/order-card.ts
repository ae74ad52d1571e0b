/**
 * The order card in a chat (no zod: the widget imports this). An agent sends a card through
 * `POST /api/conversations/:id/order-card`; the store module looks the order up and posts an
 * agent message whose body is a readable summary (what transcripts, previews, search and old
 * clients show) followed by one `[[order:<base64url JSON>]]` token holding the snapshot the widget
 * and the agent's thread draw as a card. Only agents' and the bot's messages are drawn as cards
 * (a shopper's message with a token is refused by the chat path).
 */

export type OrderCardStatus =
  'unpaid' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'refunding' | 'refunded';
const statuses: readonly string[] = [
  'unpaid',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunding',
  'refunded',
];

export type OrderCard = {
  orderNo: string;
  status: OrderCardStatus;
  /** At most `maxCardItems`; `moreItems` counts the rest. */
  items: { name: string; qty: number; price: number }[];
  moreItems: number;
  /** Minor units (分). */
  total: number;
  currency: string;
  createdAt: string;
  /** The latest tracking event of the newest shipment (tracking number masked), or null. */
  tracking: { carrier: string; trackingNo: string; at: string; location: string; text: string } | null;
};

export const maxCardItems = 5;
/** An order number as the store's look-up takes it (`GET /api/store/orders/:orderNo`). */
export const storeOrderNoPattern = /^[A-Za-z0-9#-]{3,40}$/;
const token = /\n*\[\[order:([A-Za-z0-9_-]{10,4500})\]\]\s*$/;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function fromBase64Url(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e12;

/** The card, checked field by field (a garbled or forged token is not a card). */
export function checkOrderCard(v: unknown): OrderCard | null {
  if (!v || typeof v !== 'object') return null;
  const c = v as Record<string, unknown>;
  if (!str(c.orderNo, 64) || !c.orderNo || !statuses.includes(c.status as string)) return null;
  if (!int(c.total) || !str(c.currency, 8) || !str(c.createdAt, 40) || !int(c.moreItems)) return null;
  if (!Array.isArray(c.items) || c.items.length > maxCardItems) return null;
  for (const i of c.items as unknown[]) {
    const x = i as Record<string, unknown>;
    if (!x || !str(x.name, 200) || !int(x.qty) || !int(x.price)) return null;
  }
  const t = c.tracking as Record<string, unknown> | null;
  if (t !== null) {
    if (!t || typeof t !== 'object') return null;
    if (!str(t.carrier, 60) || !str(t.trackingNo, 60) || !str(t.at, 40) || !str(t.location, 120) || !str(t.text, 300))
      return null;
  }
  return {
    orderNo: c.orderNo,
    status: c.status as OrderCardStatus,
    items: (c.items as OrderCard['items']).map((i) => ({ name: i.name, qty: i.qty, price: i.price })),
    moreItems: c.moreItems,
    total: c.total,
    currency: c.currency,
    createdAt: c.createdAt,
    tracking: t
      ? {
          carrier: t.carrier as string,
          trackingNo: t.trackingNo as string,
          at: t.at as string,
          location: t.location as string,
          text: t.text as string,
        }
      : null,
  };
}

/** "¥299.00" / "USD 12.50". */
export function formatMoney(minor: number, currency: string): string {
  const amount = (minor / 100).toFixed(2);
  return currency === 'CNY' ? `¥${amount}` : `${currency} ${amount}`;
}

/** The readable summary before the token (language-neutral: numbers, names and the carrier's own words). */
export function orderCardText(c: OrderCard): string {
  const lines = [`#${c.orderNo} · ${formatMoney(c.total, c.currency)}`];
  for (const i of c.items) lines.push(`${i.name} ×${i.qty}`);
  if (c.moreItems) lines.push(`+${c.moreItems}`);
  if (c.tracking) lines.push(`${c.tracking.carrier} ${c.tracking.trackingNo} · ${c.tracking.text}`);
  return lines.join('\n');
}

/** The message body of a card. */
export function orderCardBody(c: OrderCard): string {
  return `${orderCardText(c)}\n\n[[order:${toBase64Url(JSON.stringify(c))}]]`;
}

/** Whether a body carries a card token at all (valid or not): shoppers may not send one. */
export const hasOrderCardToken = (body: string): boolean => /\[\[order:/.test(body);

/** The card of a message body, or null for any other message (or a garbled token). */
export function orderCardOf(body: string): OrderCard | null {
  const m = token.exec(body);
  if (!m) return null;
  try {
    return checkOrderCard(JSON.parse(fromBase64Url(m[1]!)));
  } catch {
    return null;
  }
}
