/** Merging two customers (the merge module): this module's rows of the duplicate move to the kept customer. */
import type { Executor } from '../../db/index.ts';
import { own } from './schema.ts';

/** Moves every store_orders row of customer `fromId` to `toId` (same workspace); returns how many moved. */
export async function moveOrdersToCustomer(
  db: Executor,
  workspaceId: string,
  fromId: string,
  toId: string,
): Promise<number> {
  const r = await own(db)
    .updateTable('store_orders')
    .set({ customer_id: toId })
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', fromId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
