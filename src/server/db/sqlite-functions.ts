/**
 * SQL functions that Kefu's SQLite schema calls (full-text triggers), registered on every
 * connection that writes: `openSqlite` and the chat writer's worker thread. A connection without
 * them (e.g. the sqlite3 shell) can read everything but cannot insert messages or tickets.
 */
import type { DatabaseSync } from 'node:sqlite';
import { termsText } from '../lib/search-terms.ts';

export function registerSqliteFunctions(db: DatabaseSync): void {
  db.function('kefu_terms', { deterministic: true }, (text) => termsText(text === null ? null : String(text)));
}
