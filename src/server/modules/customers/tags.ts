/**
 * Tags on customers (客户标签): free words an agent puts on a profile (VIP 候选, 批发, 投诉过 …),
 * shown in the list and on the profile, and a filter of the list. One row per customer and tag.
 */
import type { Executor } from '../../db/index.ts';
import { own } from './schema.ts';

/** Tags by customer id (each list sorted), for the ids given; customers without tags map to []. */
export async function tagsOf(db: Executor, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await own(db)
    .selectFrom('customer_tags')
    .select(['customer_id', 'tag'])
    .where('customer_id', 'in', [...new Set(ids)])
    .orderBy('tag')
    .execute();
  for (const r of rows) out.get(r.customer_id)?.push(r.tag);
  return out;
}

/** Replaces a customer's tags with `tags` (deduplicated); returns whether anything changed. */
export async function replaceTags(
  db: Executor,
  workspaceId: string,
  customerId: string,
  tags: readonly string[],
  now: string,
): Promise<boolean> {
  const want = new Set(tags);
  const have = new Set((await tagsOf(db, [customerId])).get(customerId));
  const gone = [...have].filter((t) => !want.has(t));
  const added = [...want].filter((t) => !have.has(t));
  if (gone.length)
    await own(db).deleteFrom('customer_tags').where('customer_id', '=', customerId).where('tag', 'in', gone).execute();
  if (added.length)
    await own(db)
      .insertInto('customer_tags')
      .values(added.map((tag) => ({ workspace_id: workspaceId, customer_id: customerId, tag, created_at: now })))
      .execute();
  return gone.length + added.length > 0;
}

/** Every tag used in the workspace with how many customers carry it, most used first. */
export async function workspaceTags(db: Executor, workspaceId: string): Promise<{ tag: string; count: number }[]> {
  const rows = await own(db)
    .selectFrom('customer_tags')
    .select(['tag', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('tag')
    .execute();
  return rows
    .map((r) => ({ tag: r.tag, count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag))
    .slice(0, 200);
}

/** Every tier customers of the workspace have, with how many, most used first (the list's filter). */
export async function workspaceTiers(db: Executor, workspaceId: string): Promise<{ tier: string; count: number }[]> {
  const rows = await own(db)
    .selectFrom('customers')
    .select(['tier', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('tier', 'is not', null)
    .groupBy('tier')
    .execute();
  return rows
    .map((r) => ({ tier: r.tier!, count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.tier.localeCompare(b.tier))
    .slice(0, 200);
}
