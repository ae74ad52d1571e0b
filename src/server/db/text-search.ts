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
