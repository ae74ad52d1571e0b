/** Every row of every table as text, to search a whole database for values that must not be there. */
import { sql } from 'kysely';
import type { Services } from '../context.ts';

export async function dumpDatabase(s: Pick<Services, 'db' | 'engine'>): Promise<string> {
  const tables =
    s.engine === 'postgres'
      ? (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(s.db)
        ).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(s.db)).rows;
  const parts: string[] = [];
  for (const { name } of tables) {
    // SQLite: every column as text, so 64-bit integers (FTS5's index tables hold some) and blobs
    // (whose bytes are searched as text too) can be read.
    const query =
      s.engine === 'postgres'
        ? sql`select * from ${sql.table(name)}`
        : sql`select ${sql.join(
            (await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(s.db)).rows.map(
              (c) => sql`cast(${sql.ref(c.name)} as text) as ${sql.ref(c.name)}`,
            ),
          )} from ${sql.table(name)}`;
    const rows = (await query.execute(s.db)).rows;
    parts.push(`## ${name}\n${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}
