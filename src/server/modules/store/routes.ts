import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../../../shared/api.ts';
import { storeOrderNoPattern } from '../../../shared/order-card.ts';
import type { Services } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { ctxOf } from '../../http/context.ts';
import { StoreUnavailable } from './adapter.ts';
import { OrderCardBody, sendOrderCard } from './card.ts';
import { receiveShopifyWebhook } from './webhooks.ts';
import {
  customerOrders,
  orderForAgent,
  saveStoreSettings,
  storeSettings,
  StoreSettingsBody,
  StoreTestBody,
  testStoreConnection,
} from './service.ts';

const OrderParam = z.strictObject({ orderNo: z.string().regex(storeOrderNoPattern, 'an order number') });

/** A store that does not answer is a 502 with a reason, not a 500. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StoreUnavailable) throw new AppError(502, 'store_unavailable', err.message);
    throw err;
  }
}

export function storeRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['store'];
  r.get('/api/store/settings', { config: { permission: 'settings.manage' }, schema: { tags } }, async (req) =>
    storeSettings(s, ctxOf(s, req).actor.workspaceId),
  );
  r.put(
    '/api/store/settings',
    { config: { permission: 'settings.manage' }, schema: { tags, body: StoreSettingsBody } },
    async (req) => saveStoreSettings(ctxOf(s, req), req.body),
  );
  r.post(
    '/api/store/settings/test',
    { config: { permission: 'settings.manage' }, schema: { tags, body: StoreTestBody } },
    async (req) => testStoreConnection(ctxOf(s, req), req.body),
  );
  r.get(
    '/api/store/orders/:orderNo',
    { config: { permission: 'conversations.read' }, schema: { tags, params: OrderParam } },
    async (req) => guarded(() => orderForAgent(ctxOf(s, req), req.params.orderNo)),
  );
  r.get(
    '/api/store/customers/:id/orders',
    { config: { permission: 'conversations.read' }, schema: { tags, params: IdParam } },
    async (req) => guarded(() => customerOrders(ctxOf(s, req), req.params.id)),
  );
  // An order card into a chat: built here from the store's data (never from the client's), posted as the agent.
  r.post(
    '/api/conversations/:id/order-card',
    { config: { permission: 'conversations.manage' }, schema: { tags, params: IdParam, body: OrderCardBody } },
    async (req) => guarded(() => sendOrderCard(ctxOf(s, req), req.params.id, req.body)),
  );
  // Shopify's webhooks: public (the HMAC over the raw body is the authentication), so this route
  // keeps its body as bytes (a parsed and re-serialised body would not match the signature).
  void app.register(async (sub) => {
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 2 << 20 }, (_req, body, done) => done(null, body));
    sub.withTypeProvider<ZodTypeProvider>().post(
      '/api/store/webhooks/shopify/:workspaceId',
      {
        config: { auth: 'public', rateLimit: { max: s.config.webhookRatePerMinute, timeWindow: '1 minute' } },
        schema: { tags, params: z.strictObject({ workspaceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }) },
      },
      async (req) =>
        receiveShopifyWebhook(
          s,
          req.params.workspaceId,
          req.headers,
          Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        ),
    );
  });
}
