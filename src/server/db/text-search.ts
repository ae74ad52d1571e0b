/**
 * The engine-specific half of full-text search (the schema is in migrations/0011-search.ts; the
 * terms in lib/search-terms.ts). SQLite: an FTS5 MATCH expression over a module's `*_fts` table.
 * PostgreSQL: one condition per query part — a substring match (ILIKE) that the part's pg_trgm
 * index serves from three characters on, and for a two-character Chinese word the Han-bigram
 * index (trigrams cannot serve it) with the substring match as the exact check.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isHan, textQuery, type TextQuery } from '../lib/search-terms.ts';

export { textQuery, type TextQuery };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The PostgreSQL condition that `column` (e.g. `m.body`) contains every part of the query. */
export function pgTextCondition(column: string, q: TextQuery): RawBuilder<SqlBool> {
  const col = sql.ref(column);
  const conds = q.parts.map((part) => {
    const like = `%${escapeLike(part)}%`;
    return isHan(part) && [...part].length === 2
      ? sql`(kefu_han_bigrams(${col}) @> array[${part}]::text[] and ${col} like ${like})`
      : sql`${col} ilike ${like}`;
  });
  return sql<SqlBool>`(${sql.join(conds, sql` and `)})`;
}

/**
 * PostgreSQL's search hits, newest first, strictly before `before`: first among the newest
 * `window` rows (the primary key read backwards: a common word fills a page there, whatever the
 * planner thinks of the word), then, when the page is not full, through the search indexes for
 * the rest (a rare word). `query(from, to, n)` returns hits with from <= id < to (either bound
 * may be open), newest first; `bottom(to)` the id `window` rows below `to`, or null.
 */
export async function pgHitsNewestFirst<H>(
  before: string | null,
  n: number,
  bottom: (to: string | null) => Promise<string | null>,
  query: (from: string | null, to: string | null, n: number) => Promise<H[]>,
): Promise<H[]> {
  const edge = await bottom(before);
  const recent = await query(edge, before, n);
  if (recent.length >= n || edge === null) return recent;
  return [...recent, ...(await query(null, edge, n - recent.length))];
}
