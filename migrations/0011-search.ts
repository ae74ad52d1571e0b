import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * Full-text search that scales, in Chinese, over message bodies and tickets (subject and every
 * timeline text: descriptions, replies, notes). A ticket's searchable text lives in one row of
 * `ticket_search` (kept by the tickets module with each timeline entry), so a search finds
 * tickets, newest first, without visiting their timelines.
 *
 * SQLite: FTS5 over the output of `kefu_terms` (lib/search-terms.ts, a registered function):
 * Chinese as overlapping bigrams, other words whole, so two-character words are terms and
 * longer ones phrases. Triggers keep the indexes with the rows (the chat writer needs no change).
 * PostgreSQL: pg_trgm GIN indexes serve substrings of three characters or more; a GIN index over
 * each text's Han bigrams serves two-character words, which trigrams cannot.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = engineOf(db) === 'postgres';

  await db.schema
    .createTable('ticket_search')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('tickets.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  // In creation order, so SQLite's rowids (the FTS order) follow the tickets' age.
  await sql`insert into ticket_search (ticket_id, workspace_id, body)
    select t.id, t.workspace_id, t.subject || coalesce((
      select ${pg ? sql`E'\n' || string_agg(e.body, E'\n' order by e.id)` : sql`char(10) || group_concat(e.body, char(10))`}
      from ticket_events e where e.ticket_id = t.id and e.body is not null), '')
    from tickets t order by t.created_at, t.id`.execute(db);

  if (pg) {
    await postgresIndexes(db);
    return;
  }
  for (const [fts, table, column] of [
    ['messages_fts', 'messages', 'body'],
    ['ticket_search_fts', 'ticket_search', 'body'],
  ] as const) {
    // Contentless (the text is in its own table), deletable by rowid.
    await sql.raw(`create virtual table ${fts} using fts5(terms, content='', contentless_delete=1)`).execute(db);
    await sql
      .raw(
        `create trigger ${fts}_insert after insert on ${table} begin
          insert into ${fts} (rowid, terms) values (new.rowid, kefu_terms(new.${column})); end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${fts}_update after update of ${column} on ${table} begin
          delete from ${fts} where rowid = old.rowid;
          insert into ${fts} (rowid, terms) values (new.rowid, kefu_terms(new.${column})); end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${fts}_delete after delete on ${table} begin delete from ${fts} where rowid = old.rowid; end`,
      )
      .execute(db);
    await sql.raw(`insert into ${fts} (rowid, terms) select rowid, kefu_terms(${column}) from ${table}`).execute(db);
  }
}

async function postgresIndexes(db: Kysely<any>): Promise<void> {
  const trgm = await trigramSchema(db);
  // Han bigrams of a text (both alignments of each run), for two-character words.
  await sql`create or replace function kefu_han_bigrams(t text) returns text[]
    language sql immutable strict parallel safe cost 200 as $$
      select coalesce(array_agg(distinct g), '{}') from (
        select (regexp_matches(t, '[一-鿿㐀-䶿]{2}', 'g'))[1] as g
        union all
        select (regexp_matches(t, '(?<=[一-鿿㐀-䶿])[一-鿿㐀-䶿]{2}', 'g'))[1]
      ) s $$`.execute(db);
  for (const [table, column] of [
    ['messages', 'body'],
    ['ticket_search', 'body'],
  ] as const) {
    if (trgm)
      await sql
        .raw(`create index ${table}_${column}_trgm_idx on ${table} using gin (${column} "${trgm}".gin_trgm_ops)`)
        .execute(db);
    await sql
      .raw(`create index ${table}_${column}_bigram_idx on ${table} using gin (kefu_han_bigrams(${column}))`)
      .execute(db);
  }
  // Expression indexes have no statistics until the table is analysed; the planner needs them.
  await sql`analyze messages`.execute(db);
  await sql`analyze ticket_search`.execute(db);
}

/**
 * Where pg_trgm is (creating it if needed: it is a trusted extension, so a database owner may),
 * or null when it cannot be had; search then still works, by scanning.
 */
async function trigramSchema(db: Kysely<any>): Promise<string | null> {
  const find = async () =>
    (
      await sql<{ schema: string }>`select n.nspname as schema from pg_extension e
        join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db)
    ).rows[0]?.schema ?? null;
  const found = await find();
  if (found) return found;
  // In `public` when possible: an extension inside an application schema would be dropped with it.
  for (const statement of ['create extension pg_trgm schema public', 'create extension pg_trgm']) {
    await sql`savepoint kefu_trgm`.execute(db);
    try {
      await sql.raw(statement).execute(db);
      await sql`release savepoint kefu_trgm`.execute(db);
      return find();
    } catch {
      await sql`rollback to savepoint kefu_trgm`.execute(db);
    }
  }
  return null;
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
