/** Row counts and the integrity check of a SQLite file (pure enough for a worker thread: node:sqlite only). */
import { DatabaseSync } from 'node:sqlite';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Rows per ordinary table (virtual tables are counted through their shadow tables). */
export function countSqliteRows(file: string): Record<string, number> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const names = db
      .prepare(
        `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
           and sql not like 'CREATE VIRTUAL TABLE%' order by name`,
      )
      .all() as { name: string }[];
    const out: Record<string, number> = {};
    for (const { name } of names)
      out[name] = Number((db.prepare(`select count(*) as n from ${quote(name)}`).get() as { n: number }).n);
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
