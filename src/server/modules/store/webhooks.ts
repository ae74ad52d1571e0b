/**
 * Shopify's webhooks into the order cache. A delivery is applied only when its
 * `X-Shopify-Hmac-Sha256` is the HMAC-SHA256 of the raw body under the workspace's webhook secret
 * (compared in constant time), its shop is the configured one, it is not older than an hour
 * (`X-Shopify-Triggered-At`, when present) and its `X-Shopify-Webhook-Id` was not applied before
 * (a replay is answered 200 and ignored: Shopify retries anything else). Malformed deliveries get a
 * 4xx with the reason.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { unitOfWork, type Services } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { cachedOrderById, saveOrder } from './cache.ts';
import { own } from './schema.ts';
import { ShopFulfillment, ShopOrder, ShopRefund } from './shopify-schema.ts';

/** Deliveries older than this are refused (a captured body replayed later). */
export const webhookMaxAgeMs = 3_600_000;
/** A clock this far ahead of ours is tolerated. */
const futureSkewMs = 300_000;
/** Applied webhook ids are remembered this long. */
const receiptDays = 7;

const orderTopics = new Set([
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
]);
const remoteId = z.union([z.number(), z.string()]).transform(String);
const FulfillmentBody = ShopFulfillment.extend({ order_id: remoteId });
const RefundBody = ShopRefund.extend({ order_id: remoteId });
const FulfillmentEvent = z.looseObject({
  id: z.union([z.number(), z.string()]),
  fulfillment_id: z.union([z.number(), z.string()]).transform(String),
  order_id: z.union([z.number(), z.string()]).transform(String),
  status: z.string().max(60),
  message: z.string().max(300).nullish(),
  happened_at: z
    .string()
    .refine((t) => !Number.isNaN(Date.parse(t)), 'a time')
    .nullish(),
  created_at: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'a time'),
  city: z.string().max(100).nullish(),
  province: z.string().max(100).nullish(),
  country: z.string().max(100).nullish(),
});
export const webhookTopics = [
  ...orderTopics,
  'fulfillments/create',
  'fulfillments/update',
  'fulfillment_events/create',
  'refunds/create',
];

const bad = (code: string, message: string) => new AppError(400, code, message);
const unauthorized = (message: string) => new AppError(401, 'webhook_unauthorized', message);

export function shopifyHmac(secret: string, raw: Buffer | string): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

function verifyHmac(secret: string, raw: Buffer, given: string): boolean {
  const expected = Buffer.from(shopifyHmac(secret, raw), 'base64');
  const got = Buffer.from(given, 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

const header = (h: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export type WebhookResult = { ok: true; topic: string; applied: boolean; duplicate: boolean };

export async function receiveShopifyWebhook(
  s: Services,
  workspaceId: string,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
): Promise<WebhookResult> {
  const settings = await own(s.db)
    .selectFrom('store_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (settings?.adapter !== 'shopify' || !settings.webhook_secret_enc)
    throw new AppError(404, 'not_found', 'this workspace takes no Shopify webhooks');
  const hmac = header(headers, 'x-shopify-hmac-sha256');
  if (!hmac) throw unauthorized('missing X-Shopify-Hmac-Sha256');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(hmac)) throw unauthorized('X-Shopify-Hmac-Sha256 is not a base64 SHA-256 digest');
  if (!verifyHmac(s.cipher.decrypt(settings.webhook_secret_enc), raw, hmac))
    throw unauthorized('X-Shopify-Hmac-Sha256 does not match the body (wrong secret or altered body)');

  // Signed: now the rest may be looked at.
  const shop = header(headers, 'x-shopify-shop-domain');
  if (shop && settings.base_url && new URL(settings.base_url).host.toLowerCase() !== shop.toLowerCase())
    throw unauthorized(`X-Shopify-Shop-Domain ${shop.slice(0, 100)} is not this workspace's shop`);
  const triggered = header(headers, 'x-shopify-triggered-at');
  const now = s.clock.now().getTime();
  if (triggered !== undefined) {
    const at = Date.parse(triggered);
    if (Number.isNaN(at)) throw bad('webhook_malformed', 'X-Shopify-Triggered-At is not a time');
    if (now - at > webhookMaxAgeMs)
      throw bad('webhook_too_old', `delivery triggered at ${triggered}: older than an hour`);
    if (at - now > futureSkewMs) throw bad('webhook_malformed', `X-Shopify-Triggered-At ${triggered} is in the future`);
  }
  const topic = header(headers, 'x-shopify-topic') ?? '';
  if (!webhookTopics.includes(topic))
    throw bad('webhook_topic', `topic not handled: ${topic.slice(0, 60) || '(none)'}`);
  const webhookId = header(headers, 'x-shopify-webhook-id');
  if (webhookId !== undefined && !/^[A-Za-z0-9-]{1,100}$/.test(webhookId))
    throw bad('webhook_malformed', 'X-Shopify-Webhook-Id is malformed');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw bad('webhook_malformed', 'the body is not JSON');
  }
  const problem = (r: { error: z.ZodError }) =>
    bad(
      'webhook_malformed',
      `not a ${topic} body: ${r.error.issues
        .map((i) => `${i.path.join('.') || '(body)'} ${i.message}`)
        .join('; ')
        .slice(0, 300)}`,
    );

  // Checked before the unit of work: a bad body is refused whole.
  let apply: (ctx: Services) => Promise<boolean>;
  if (orderTopics.has(topic)) {
    const r = ShopOrder.safeParse(body);
    if (!r.success) throw problem(r);
    apply = async (ctx) => {
      await saveOrder(ctx, workspaceId, r.data, 'webhook');
      return true;
    };
  } else if (topic === 'fulfillments/create' || topic === 'fulfillments/update') {
    const r = FulfillmentBody.safeParse(body);
    if (!r.success) throw problem(r);
    const f = r.data;
    apply = (ctx) =>
      patchOrder(ctx, workspaceId, f.order_id, (o) => ({
        ...o,
        fulfillments: [...o.fulfillments.filter((x) => x.id !== f.id), f],
        fulfillment_status: o.fulfillment_status ?? 'partial',
        updated_at: maxTime(o.updated_at, f.updated_at ?? f.created_at),
      }));
  } else if (topic === 'refunds/create') {
    const r = RefundBody.safeParse(body);
    if (!r.success) throw problem(r);
    const refund = r.data;
    apply = (ctx) =>
      patchOrder(ctx, workspaceId, refund.order_id, (o) => ({
        ...o,
        refunds: [...o.refunds.filter((x) => x.id !== refund.id), refund],
        updated_at: maxTime(o.updated_at, refund.created_at),
      }));
  } else {
    const r = FulfillmentEvent.safeParse(body);
    if (!r.success) throw problem(r);
    const e = r.data;
    const event = {
      at: new Date(e.happened_at ?? e.created_at).toISOString(),
      location: [e.province, e.city].filter(Boolean).join(' '),
      text: e.message || e.status,
    };
    apply = (ctx) =>
      patchOrder(ctx, workspaceId, e.order_id, (o) => {
        const events = o.kefu_events?.[e.fulfillment_id] ?? [];
        if (events.some((x) => x.at === event.at && x.text === event.text)) return o;
        return {
          ...o,
          fulfillments: o.fulfillments.map((f) =>
            f.id === e.fulfillment_id && e.status === 'delivered' ? { ...f, shipment_status: 'delivered' } : f,
          ),
          kefu_events: { ...o.kefu_events, [e.fulfillment_id]: [...events, event] },
          updated_at: maxTime(o.updated_at, event.at),
        };
      });
  }

  return unitOfWork(s, async (ctx) => {
    const at = ctx.clock.now().toISOString();
    if (webhookId !== undefined) {
      const seen = await own(ctx.db)
        .selectFrom('store_webhook_receipts')
        .select('webhook_id')
        .where('workspace_id', '=', workspaceId)
        .where('webhook_id', '=', webhookId)
        .executeTakeFirst();
      if (seen) return { ok: true as const, topic, applied: false, duplicate: true };
      await own(ctx.db)
        .insertInto('store_webhook_receipts')
        .values({ workspace_id: workspaceId, webhook_id: webhookId, topic, received_at: at })
        .execute();
      await own(ctx.db)
        .deleteFrom('store_webhook_receipts')
        .where('workspace_id', '=', workspaceId)
        .where('received_at', '<', new Date(now - receiptDays * 86_400_000).toISOString())
        .execute();
    }
    return { ok: true as const, topic, applied: await apply(ctx), duplicate: false };
  });
}

const maxTime = (a: string | undefined, b: string) => (a && Date.parse(a) > Date.parse(b) ? a : b);

/** A change to a cached order; an order the cache does not hold yet is left for the next lookup. */
async function patchOrder(
  s: Services,
  ws: string,
  remoteId: string,
  change: (o: ShopOrder) => ShopOrder,
): Promise<boolean> {
  const cached = await cachedOrderById(s, ws, remoteId);
  if (!cached) return false;
  await saveOrder(s, ws, change(cached.order), 'webhook');
  return true;
}
