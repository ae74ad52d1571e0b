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
});

type S = Pick<Scope, 'db' | 'cipher'>;

export async function storeSettings(s: { db: Executor }, workspaceId: string) {
  const r = await own(s.db)
    .selectFrom('store_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return { adapter: r?.adapter ?? 'demo', baseUrl: r?.base_url ?? null, tokenSet: !!r?.token_enc };
}

export async function saveStoreSettings(ctx: Ctx, input: z.output<typeof StoreSettingsBody>) {
  const ws = ctx.actor.workspaceId;
  const current = await own(ctx.db)
    .selectFrom('store_settings')
    .selectAll()
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const tokenEnc = input.token ? ctx.cipher.encrypt(input.token) : (current?.token_enc ?? null);
  if (input.adapter === 'shopify' && (!input.baseUrl || !tokenEnc))
    throw badRequest('a third-party store needs its base URL and an access token');
  const row = {
    adapter: input.adapter,
    base_url: input.baseUrl,
    token_enc: tokenEnc,
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
    return httpStore(r.base_url, s.cipher.decrypt(r.token_enc));
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
