/** Which store a workspace uses, and the lookups everyone goes through (time-limited, masked). */
import { z } from 'zod';
import { publish, unitOfWork, type Ctx, type Scope } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { customerExists } from '../customers/index.ts';
import type { StoreAdapter, StoreOrder } from './adapter.ts';
import { demoStore } from './demo.ts';
import { httpStore } from './http-store.ts';
import { own } from './schema.ts';
import { parseAllowList, refusedUrl } from '../../lib/outbound.ts';

export const StoreSettingsBody = z.strictObject({
  adapter: z.enum(['demo', 'shopify']),
  baseUrl: z
    .string()
    .url()
    .max(300)
    .regex(/^https?:\/\//, 'an http(s) URL')
    .nullable()
    .default(null),
  /** Omitted: keep the stored token. */
  token: z.string().min(8).max(300).optional(),
  /** The app's API secret key that signs webhooks (X-Shopify-Hmac-Sha256). Omitted: keep the stored one. */
  webhookSecret: z.string().min(16).max(300).optional(),
});

type S = Pick<Scope, 'db' | 'cipher' | 'clock' | 'config'>;

export async function storeSettings(s: { db: Executor }, workspaceId: string) {
  const r = await own(s.db)
    .selectFrom('store_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return {
    adapter: r?.adapter ?? 'demo',
    baseUrl: r?.base_url ?? null,
    tokenSet: !!r?.token_enc,
    webhookSecretSet: !!r?.webhook_secret_enc,
    /** Where the shop sends its webhooks (this workspace's address; the secret is what authenticates). */
    webhookPath: `/api/store/webhooks/shopify/${workspaceId}`,
  };
}

export async function saveStoreSettings(ctx: Ctx, input: z.output<typeof StoreSettingsBody>) {
  const ws = ctx.actor.workspaceId;
  const current = await own(ctx.db)
    .selectFrom('store_settings')
    .selectAll()
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const tokenEnc = input.token ? ctx.cipher.encrypt(input.token) : (current?.token_enc ?? null);
  const secretEnc = input.webhookSecret
    ? ctx.cipher.encrypt(input.webhookSecret)
    : (current?.webhook_secret_enc ?? null);
  if (input.adapter === 'shopify' && (!input.baseUrl || !tokenEnc))
    throw badRequest('a third-party store needs its base URL and an access token');
  // The shop's URL is typed by a workspace admin: a private address is refused now (and at every request).
  if (input.baseUrl) {
    const refused = refusedUrl(input.baseUrl, parseAllowList(ctx.config.outboundAllowList));
    if (refused) throw refused;
  }
  const row = {
    adapter: input.adapter,
    base_url: input.baseUrl,
    token_enc: tokenEnc,
    webhook_secret_enc: secretEnc,
    updated_at: ctx.clock.now().toISOString(),
  };
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    if (current) await db.updateTable('store_settings').set(row).where('workspace_id', '=', ws).execute();
    else
      await db
        .insertInto('store_settings')
        .values({ workspace_id: ws, ...row })
        .execute();
    await publish(ctx, 'store.settings_saved', ws, 'store', ws, { adapter: input.adapter });
  });
  return storeSettings(ctx, ws);
}

/** The workspace's store (the demo store unless another is configured). */
export async function storeFor(s: S, workspaceId: string): Promise<StoreAdapter> {
  const r = await own(s.db)
    .selectFrom('store_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (r?.adapter === 'shopify' && r.base_url && r.token_enc)
    return httpStore(s, {
      baseUrl: r.base_url,
      token: s.cipher.decrypt(r.token_enc),
      allow: parseAllowList(s.config.outboundAllowList),
    });
  return demoStore(s);
}

/** One order by its number (masked), or null; throws StoreUnavailable when the store does not answer. */
export async function findOrder(s: S, workspaceId: string, orderNo: string): Promise<StoreOrder | null> {
  return (await storeFor(s, workspaceId)).orderByNumber(workspaceId, orderNo);
}

/** A customer's latest orders (masked); throws StoreUnavailable when the store does not answer. */
export async function ordersOfCustomer(
  s: S,
  workspaceId: string,
  customerId: string,
  limit = 5,
): Promise<StoreOrder[]> {
  return (await storeFor(s, workspaceId)).ordersOfCustomer(workspaceId, customerId, limit);
}

export async function customerOrders(ctx: Ctx, customerId: string) {
  if (!(await customerExists(ctx, ctx.actor.workspaceId, customerId))) throw notFound('customer');
  return { items: await ordersOfCustomer(ctx, ctx.actor.workspaceId, customerId, 20) };
}

export async function orderForAgent(ctx: Ctx, orderNo: string) {
  const o = await findOrder(ctx, ctx.actor.workspaceId, orderNo);
  if (!o) throw notFound('order');
  return o;
}
