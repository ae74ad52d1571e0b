/**
 * Ticket search. Exact kinds first, each through its own index: a ticket number
 * (tickets_number_uq), an order number (tickets_order_idx), a customer's phone or e-mail (the
 * customers module's keyed hashes, then tickets_customer_idx); they narrow the normal list. Else
 * full-text search over each ticket's subject and timeline (`ticket_search`), newest ticket first.
 */
import { sql } from 'kysely';
import type { SearchKind } from '../../../shared/search.ts';
import type { Ctx } from '../../context.ts';
import { pgHitsNewestFirst, pgTextCondition, type TextQuery } from '../../db/text-search.ts';
import { collectHits, type CursorValue, type HitPage } from '../../lib/keyset.ts';
import { customerQueryKind, exactCustomerIds } from '../customers/index.ts';
import { own } from './schema.ts';

const numberShape = /^#?(\d{1,9})$/;
const orderShape = /^(?=.*\d)[A-Za-z0-9-]{4,40}$/;

/** The tickets an exact query names (and its kind), or null when it names none. */
export async function exactTickets(ctx: Ctx, q: string): Promise<{ kind: SearchKind; ids: string[] } | null> {
  const ws = ctx.actor.workspaceId;
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const number = numberShape.exec(q);
  if (number) {
    const rows = await own(ctx.db)
      .selectFrom('tickets')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('number', '=', Number(number[1]))
      .execute();
    if (rows.length) return { kind: 'ticket_number', ids: ids(rows) };
  }
  if (orderShape.test(q)) {
    const rows = await own(ctx.db)
      .selectFrom('tickets')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('order_no', '=', q)
      .limit(500)
      .execute();
    if (rows.length) return { kind: 'order_no', ids: ids(rows) };
  }
  if (customerQueryKind(q)) {
    const found = await exactCustomerIds(ctx, ws, q);
    if (found) {
      const rows = await own(ctx.db)
        .selectFrom('tickets')
        .select('id')
        .where('customer_id', 'in', found.ids)
        .where('workspace_id', '=', ws)
        .limit(500)
        .execute();
      return { kind: found.kind, ids: ids(rows) };
    }
  }
  return null;
}

type Hit = { pos: CursorValue; ticket_id: string };

/**
 * Tickets whose subject or timeline contains the query, newest first; `accept` applies the list's
 * filters to a batch of ticket ids (returning those that pass).
 */
export async function searchTickets(
  ctx: Ctx,
  q: TextQuery,
  accept: (ids: string[]) => Promise<Set<string>>,
  start: CursorValue | null,
  limit: number,
): Promise<HitPage<string>> {
  const ws = ctx.actor.workspaceId;
  const fetch = async (before: CursorValue | null, n: number): Promise<Hit[]> => {
    if (ctx.engine === 'postgres')
      return pgHitsNewestFirst<Hit>(
        before === null ? null : String(before),
        n,
        async (to) =>
          (
            await sql<{ id: string }>`select ticket_id as id from ticket_search where workspace_id = ${ws}
              ${to === null ? sql`` : sql`and ticket_id < ${to}`} order by ticket_id desc offset 999 limit 1`.execute(
              ctx.db,
            )
          ).rows[0]?.id ?? null,
        async (from, to, limit) =>
          (
            await sql<Hit>`select ticket_id as pos, ticket_id from ticket_search
              where workspace_id = ${ws} ${from === null ? sql`` : sql`and ticket_id >= ${from}`}
                ${to === null ? sql`` : sql`and ticket_id < ${to}`} and ${pgTextCondition('body', q)}
              order by ticket_id desc limit ${limit}`.execute(ctx.db)
          ).rows,
      );
    return (
      await sql<Hit>`select f.rowid as pos, s.ticket_id from ticket_search_fts f
        join ticket_search s on s.rowid = f.rowid
        where ticket_search_fts match ${q.match} ${before === null ? sql`` : sql`and f.rowid < ${before}`}
          and s.workspace_id = ${ws}
        order by f.rowid desc limit ${n}`.execute(ctx.db)
    ).rows;
  };
  return collectHits<Hit, string>({
    start,
    limit,
    fetch,
    posOf: (h) => h.pos,
    accept: async (hits) => {
      const ok = await accept(hits.map((h) => h.ticket_id));
      return hits.filter((h) => ok.has(h.ticket_id)).map((h) => ({ row: h.ticket_id, pos: h.pos }));
    },
  });
}
