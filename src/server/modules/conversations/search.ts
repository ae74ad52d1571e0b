/**
 * Full-text search over message bodies for the inbox, newest match first: the index returns
 * message hits in order (FTS5 by rowid on SQLite; on PostgreSQL the trigram or bigram index, or
 * the primary key read backwards when the word is common), each conversation is listed once at
 * its newest match, and the inbox's filters apply. Work per request is bounded (`collectHits`).
 */
import { sql } from 'kysely';
import type { Ctx, Services } from '../../context.ts';
import { pgHitsNewestFirst, pgTextCondition, type TextQuery } from '../../db/text-search.ts';
import { collectHits, type CursorValue, type HitPage } from '../../lib/keyset.ts';
import { own } from './schema.ts';
import { indexPendingSql } from './sqlite-commit.ts';

type Hit = { pos: CursorValue; conversation_id: string };
/** PostgreSQL: the newest messages read in order before the search indexes are asked (see pgHitsNewestFirst). */
const window = 3000;
export type ConversationFilter = { status?: string; assigneeId?: string | null; inboxId?: string; labelIds?: string[] };

export async function searchConversations(
  ctx: Ctx,
  q: TextQuery,
  filter: ConversationFilter,
  start: CursorValue | null,
  limit: number,
): Promise<HitPage<string>> {
  const ws = ctx.actor.workspaceId;
  const pg = ctx.engine === 'postgres';
  const fetch = async (before: CursorValue | null, n: number): Promise<Hit[]> => {
    if (pg)
      return pgHitsNewestFirst<Hit>(
        before === null ? null : String(before),
        n,
        async (to) =>
          (
            await sql<{ id: string }>`select id from messages where workspace_id = ${ws}
              ${to === null ? sql`` : sql`and id < ${to}`} order by id desc offset ${window - 1} limit 1`.execute(
              ctx.db,
            )
          ).rows[0]?.id ?? null,
        async (from, to, limit) =>
          (
            await sql<Hit>`select m.id as pos, m.conversation_id from messages m
              where m.workspace_id = ${ws} ${from === null ? sql`` : sql`and m.id >= ${from}`}
                ${to === null ? sql`` : sql`and m.id < ${to}`} and ${pgTextCondition('m.body', q)}
              order by m.id desc limit ${limit}`.execute(ctx.db)
          ).rows,
      );
    return (
      await sql<Hit>`select f.rowid as pos, m.conversation_id from messages_fts f
        join messages m on m.rowid = f.rowid
        where messages_fts match ${q.match} ${before === null ? sql`` : sql`and f.rowid < ${before}`}
          and m.workspace_id = ${ws}
        order by f.rowid desc limit ${n}`.execute(ctx.db)
    ).rows;
  };
  // Conversations listed on earlier pages: they have a match at or after where this page starts.
  const shownBefore = async (ids: string[]): Promise<Set<string>> => {
    if (start === null || !ids.length) return new Set();
    const rows = pg
      ? await sql<{ id: string }>`select distinct conversation_id as id from messages
          where conversation_id in (${sql.join(ids)}) and id >= ${start} and ${pgTextCondition('body', q)}`.execute(
          ctx.db,
        )
      : await sql<{ id: string }>`select distinct conversation_id as id from messages
          where conversation_id in (${sql.join(ids)}) and rowid >= ${start}
            and rowid in (select rowid from messages_fts where messages_fts match ${q.match} and rowid >= ${start})`.execute(
          ctx.db,
        );
    return new Set(rows.rows.map((r) => r.id));
  };
  const seen = new Set<string>();
  return collectHits<Hit, string>({
    start,
    limit,
    fetch,
    posOf: (h) => h.pos,
    accept: async (hits) => {
      const first = new Map<string, CursorValue>();
      for (const h of hits) {
        if (seen.has(h.conversation_id)) continue;
        seen.add(h.conversation_id);
        first.set(h.conversation_id, h.pos);
      }
      if (!first.size) return [];
      let c = own(ctx.db)
        .selectFrom('conversations')
        .select('id')
        .where('workspace_id', '=', ws)
        .where('id', 'in', [...first.keys()]);
      if (filter.status) c = c.where('status', '=', filter.status);
      if (filter.assigneeId !== undefined)
        c = c.where('assignee_id', filter.assigneeId === null ? 'is' : '=', filter.assigneeId);
      if (filter.inboxId) c = c.where('inbox_id', '=', filter.inboxId);
      if (filter.labelIds?.length)
        c = c.where(
          'id',
          'in',
          own(ctx.db)
            .selectFrom('conversation_label_links')
            .select('conversation_id')
            .where('workspace_id', '=', ws)
            .where('label_id', 'in', filter.labelIds),
        );
      const ok = new Set((await c.execute()).map((r) => r.id));
      const earlier = await shownBefore([...ok]);
      return [...first].filter(([id]) => ok.has(id) && !earlier.has(id)).map(([id, pos]) => ({ row: id, pos }));
    },
  });
}

/**
 * SQLite: indexes messages whose rowids the insert trigger queued and nobody indexed yet (the chat
 * writer indexes its own batches; this catches rows another writer stored, e.g. a bulk load).
 */
export async function indexPendingMessages(s: Services): Promise<void> {
  if (s.engine !== 'sqlite') return;
  await s.db.transaction().execute(async (tx) => {
    await sql.raw(indexPendingSql).execute(tx);
    await sql`delete from messages_fts_pending`.execute(tx);
  });
}
