/**
 * The customers page: a list newest first (keyset on the id, which sorts by creation), filtered
 * by tier and by tag, searched by the exact kinds (phone, e-mail, name, shop user id; each its own index),
 * masked by role like every customer read; and the same rows as CSV.
 */
import type { z } from 'zod';
import type { Customer, CustomerQuery } from '../../../shared/chat-api.ts';
import { publish, type Ctx } from '../../context.ts';
import { decodeCursor, encodeCursor } from '../../lib/keyset.ts';
import { exactCustomerIds } from './lookup.ts';
import { own, type CustomersTable } from './schema.ts';
import { toCustomer } from './service.ts';
import { tagsOf } from './tags.ts';

export type CustomerFilter = z.output<typeof CustomerQuery>;

export async function listCustomers(
  ctx: Ctx,
  f: CustomerFilter,
): Promise<{ items: Customer[]; nextCursor: string | null; search: { kind: string } | null }> {
  const ws = ctx.actor.workspaceId;
  let rows: CustomersTable[];
  let next: string | null = null;
  let search: { kind: string } | null = null;
  if (f.q) {
    const hit = await exactCustomerIds(ctx, ws, f.q);
    search = { kind: hit?.kind ?? 'none' };
    rows = hit?.ids.length
      ? await own(ctx.db)
          .selectFrom('customers')
          .selectAll()
          .where('id', 'in', hit.ids)
          .where('workspace_id', '=', ws)
          .execute()
      : [];
    if (f.tier) rows = rows.filter((r) => r.tier === f.tier);
    if (f.tag) {
      const tagged = await tagsOf(
        ctx.db,
        rows.map((r) => r.id),
      );
      rows = rows.filter((r) => tagged.get(r.id)?.includes(f.tag!));
    }
    rows.sort((a, b) => (a.id < b.id ? 1 : -1));
    rows = rows.slice(0, f.limit);
  } else {
    const cursor = decodeCursor(f.cursor, 1);
    let q = own(ctx.db).selectFrom('customers').selectAll().where('workspace_id', '=', ws);
    if (f.tier) q = q.where('tier', '=', f.tier);
    // By tag: through (workspace, tag, customer), the same keyset order as the whole list.
    if (f.tag)
      q = q.where('id', 'in', (eb) =>
        eb.selectFrom('customer_tags').select('customer_id').where('workspace_id', '=', ws).where('tag', '=', f.tag!),
      );
    if (cursor) q = q.where('id', '<', String(cursor[0]));
    rows = await q
      .orderBy('id', 'desc')
      .limit(f.limit + 1)
      .execute();
    if (rows.length > f.limit) {
      rows = rows.slice(0, f.limit);
      next = encodeCursor([rows[rows.length - 1].id]);
    }
  }
  return { items: await Promise.all(rows.map((r) => toCustomer(ctx, r))), nextCursor: next, search };
}

const csvCell = (v: string | null | undefined): string => {
  const s = v ?? '';
  // A cell starting with = + - @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Every customer matching the filter, as CSV (masked exactly like the list for this role), at most `max` rows. */
export async function customersCsv(
  ctx: Ctx,
  f: Omit<CustomerFilter, 'cursor' | 'limit'>,
  max = 50_000,
): Promise<string> {
  const lines = [
    ['id', 'name', 'phone', 'email', 'shop_user_id', 'tier', 'tags', 'created_at', 'last_seen_at'].join(','),
  ];
  let cursor: string | undefined;
  do {
    const page = await listCustomers(ctx, { ...f, cursor, limit: 200 });
    for (const c of page.items)
      lines.push(
        [c.id, c.name, c.phone, c.email, c.externalId, c.tier, c.tags.join(', '), c.createdAt, c.lastSeenAt]
          .map(csvCell)
          .join(','),
      );
    cursor = page.nextCursor ?? undefined;
  } while (cursor && lines.length <= max);
  await publish(ctx, 'customer.list_exported', ctx.actor.workspaceId, 'customer', null, {
    rows: lines.length - 1,
    masked: !ctx.actor.permissions.includes('customers.pii'),
    tier: f.tier ?? null,
  });
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
