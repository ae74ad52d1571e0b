/** Row counts, row checksums and the integrity check of a SQLite file (pure enough for a worker thread: node:sqlite only). */
import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function tableNames(db: DatabaseSync): string[] {
  return (
    db
      .prepare(
        `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
           and sql not like 'CREATE VIRTUAL TABLE%' order by name`,
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

/** Rows per ordinary table (virtual tables are counted through their shadow tables). */
export function countSqliteRows(file: string): Record<string, number> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const out: Record<string, number> = {};
    for (const name of tableNames(db))
      out[name] = Number((db.prepare(`select count(*) as n from ${quote(name)}`).get() as { n: number }).n);
    return out;
  } finally {
    db.close();
  }
}

/** One value as it is serialised for a checksum: integers exactly, blobs as hex. */
const stable = (_k: string, v: unknown): unknown =>
  typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? { hex: Buffer.from(v).toString('hex') } : v;

/**
 * SHA-256 per ordinary table of its rows in primary-key order (every column in order when it has
 * none), each row its column values as a JSON array (integers exact, blobs as hex) and a newline.
 * The same rows give the same checksum whatever their physical order in the file.
 */
export function checksumSqliteTables(file: string): Record<string, string> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const out: Record<string, string> = {};
    for (const name of tableNames(db)) {
      const cols = db.prepare(`pragma table_info(${quote(name)})`).all() as { name: string; pk: number }[];
      const pk = cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => quote(c.name));
      const order = pk.length ? pk : cols.map((c) => quote(c.name));
      const stmt = db.prepare(`select * from ${quote(name)} order by ${order.join(', ')}`);
      stmt.setReadBigInts(true);
      stmt.setReturnArrays(true);
      const hash = createHash('sha256');
      for (const row of stmt.iterate()) hash.update(JSON.stringify(row, stable) + '\n');
      out[name] = hash.digest('hex');
    }
    return out;
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check`: empty when the file is sound, else SQLite's problem lines (at most 20). */
export function sqliteIntegrity(file: string): string[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db.prepare('pragma integrity_check(20)').all() as { integrity_check: string }[];
    const lines = rows.map((r) => r.integrity_check);
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  } finally {
    db.close();
  }
}
