/**
 * The profile half of merging two customers (the merge module moves conversations, tickets and
 * orders in the same transaction, then calls this): identities and tags move to the kept profile,
 * its empty fields take the duplicate's values, the notes are joined, and the duplicate is deleted.
 */
import type { Executor } from '../../db/index.ts';
import { badRequest } from '../../lib/errors.ts';
import { own, type CustomersTable } from './schema.ts';
import { getCustomerRow } from './service.ts';
import { tagsOf } from './tags.ts';

const minIso = (a: string, b: string) => (a < b ? a : b);
const maxIso = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

/** Merges profile `dropId` into `keepId` (both in the workspace; 404 otherwise); returns what moved. */
export async function mergeCustomerProfiles(
  db: Executor,
  workspaceId: string,
  keepId: string,
  dropId: string,
  now: string,
): Promise<{ identities: number; tags: number; fields: string[] }> {
  if (keepId === dropId) throw badRequest('a customer cannot be merged into itself');
  const keep = await getCustomerRow({ db }, workspaceId, keepId);
  const drop = await getCustomerRow({ db }, workspaceId, dropId);

  // Fields the kept profile lacks come from the duplicate (with their blind indexes).
  const set: Partial<CustomersTable> = { updated_at: now };
  const fields: string[] = [];
  for (const f of ['name', 'phone', 'email'] as const)
    if (!keep[`${f}_enc`] && drop[`${f}_enc`]) {
      set[`${f}_enc`] = drop[`${f}_enc`];
      set[`${f}_idx`] = drop[`${f}_idx`];
      fields.push(f);
    }
  const externalMoves = !keep.external_idx && !keep.external_id && (drop.external_idx || drop.external_id);
  if (externalMoves) {
    set.external_idx = drop.external_idx;
    set.external_enc = drop.external_enc;
    set.external_id = drop.external_id;
    fields.push('externalId');
  }
  if (!keep.tier && drop.tier) {
    set.tier = drop.tier;
    fields.push('tier');
  }
  if (drop.notes.trim()) {
    set.notes = keep.notes.trim() ? `${keep.notes.trimEnd()}\n\n${drop.notes.trim()}` : drop.notes.trim();
    fields.push('notes');
  }
  set.created_at = minIso(keep.created_at, drop.created_at);
  set.last_seen_at = maxIso(keep.last_seen_at, drop.last_seen_at);

  const identities = await own(db)
    .updateTable('customer_identities')
    .set({ customer_id: keepId })
    .where('customer_id', '=', dropId)
    .executeTakeFirst();
  const have = new Set((await tagsOf(db, [keepId])).get(keepId));
  const moving = ((await tagsOf(db, [dropId])).get(dropId) ?? []).filter((t) => !have.has(t));
  await own(db).deleteFrom('customer_tags').where('customer_id', '=', dropId).execute();
  if (moving.length)
    await own(db)
      .insertInto('customer_tags')
      .values(moving.map((tag) => ({ workspace_id: workspaceId, customer_id: keepId, tag, created_at: now })))
      .execute();
  // The shop user id is unique per workspace: the duplicate lets go of it before the kept one takes it.
  await own(db).deleteFrom('customers').where('id', '=', dropId).execute();
  await own(db).updateTable('customers').set(set).where('id', '=', keepId).execute();
  return { identities: Number(identities.numUpdatedRows), tags: moving.length, fields };
}
