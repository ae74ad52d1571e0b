/**
 * Merging two customers (合并客户): one shopper who reached the shop twice (a widget visitor, then
 * a phone call; two e-mail addresses) ends as one profile with the history of both. In one
 * transaction the duplicate's conversations, tickets and orders move to the kept customer, then
 * its identities, tags and the fields the kept profile lacks, and the duplicate is deleted;
 * `customer.merged` records it (ids and counts) in the audit log.
 */
import type { Customer } from '../../../shared/chat-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { moveConversationsToCustomer } from '../conversations/index.ts';
import { getCustomerRow, mergeCustomerProfiles, toCustomer } from '../customers/index.ts';
import { moveOrdersToCustomer } from '../store/index.ts';
import { moveTicketsToCustomer } from '../tickets/index.ts';

export async function mergeCustomers(
  ctx: Ctx,
  keepId: string,
  dropId: string,
): Promise<{ customer: Customer; moved: Record<string, number> }> {
  const ws = ctx.actor.workspaceId;
  const moved = await unitOfWork(ctx, async (tx) => {
    const now = tx.clock.now().toISOString();
    // Both exist in this workspace (404 otherwise) before anything moves.
    await getCustomerRow(tx, ws, keepId);
    await getCustomerRow(tx, ws, dropId);
    const conversations = await moveConversationsToCustomer(tx.db, ws, dropId, keepId);
    const tickets = await moveTicketsToCustomer(tx.db, ws, dropId, keepId);
    const orders = await moveOrdersToCustomer(tx.db, ws, dropId, keepId);
    const profile = await mergeCustomerProfiles(tx.db, ws, keepId, dropId, now);
    const counts = { conversations, tickets, orders, identities: profile.identities, tags: profile.tags };
    await publish(tx, 'customer.merged', ws, 'customer', keepId, {
      from: dropId,
      moved: counts,
      fields: profile.fields,
    });
    return counts;
  });
  return { customer: await toCustomer(ctx, await getCustomerRow(ctx, ws, keepId)), moved };
}
