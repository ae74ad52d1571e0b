/** Which store a workspace uses, and the lookups everyone goes through (time-limited, masked). */
import { z } from 'zod';
import { publish, unitOfWork, type Ctx, type Scope } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { customerExists } from '../customers/index.ts';
import { StoreUnavailable, type StoreAdapter, type StoreOrder } from './adapter.ts';
import { demoStore } from './demo.ts';
import { apiVersion, httpStore, shopifyGet } from './http-store.ts';
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

/** "Test connection": the typed address and token, or the stored ones for what is left out. */
export const StoreTestBody = z.strictObject({
  baseUrl: StoreSettingsBody.shape.baseUrl.unwrap().unwrap().optional(),
  token: z.string().min(8).max(300).optional(),
});

const ShopAnswer = z.object({
  shop: z.looseObject({ name: z.string().max(300), domain: z.string().max(300).nullish() }),
});

/**
 * Calls the shop's Admin API (`shop.json`) with the form's values (before saving) or the stored ones:
 * `{ ok, shop }` when it answers as Shopify does, `{ ok: false, error }` with the reason when not
 * (a wrong token is the shop's 401). An address the installation refuses is a 400, never called.
 */
export async function testStoreConnection(ctx: Ctx, input: z.output<typeof StoreTestBody>) {
  const stored = await own(ctx.db)
    .selectFrom('store_settings')
    .select(['base_url', 'token_enc'])
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  const baseUrl = input.baseUrl ?? stored?.base_url ?? null;
  const token = input.token ?? (stored?.token_enc ? ctx.cipher.decrypt(stored.token_enc) : null);
  if (!baseUrl || !token) throw badRequest('the shop address and the Admin API token are needed to test');
  const allow = parseAllowList(ctx.config.outboundAllowList);
  const refused = refusedUrl(baseUrl, allow);
  if (refused) throw refused;
  const started = Date.now();
  try {
    const answer = ShopAnswer.safeParse(
      await shopifyGet({ baseUrl, token, allow })(`/admin/api/${apiVersion}/shop.json`),
    );
    if (!answer.success) return { ok: false as const, error: 'the address answered, but not as a Shopify shop does' };
    const { name, domain } = answer.data.shop;
    return { ok: true as const, shop: { name, domain: domain ?? null }, ms: Date.now() - started };
  } catch (err) {
    if (err instanceof StoreUnavailable) return { ok: false as const, error: err.message };
    throw err;
  }
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
