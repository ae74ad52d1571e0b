/**
 * SQL functions that Kefu's SQLite schema calls (full-text triggers), registered on every
 * connection that writes: `openSqlite` and the chat writer's worker thread. A connection without
 * them (e.g. the sqlite3 shell) can read everything but cannot insert messages or tickets.
 */
import type { DatabaseSync } from 'node:sqlite';
import { termsText } from '../lib/search-terms.ts';

export function registerSqliteFunctions(db: DatabaseSync, opts: { messagesFtsByTrigger?: boolean } = {}): void {
  db.function('kefu_terms', { deterministic: true }, (text) => termsText(text === null ? null : String(text)));
  // Whether the messages' full-text insert trigger fires on this connection (migration 0089): the
  // chat writer's thread answers 0 and inserts the terms itself, in its batch (FTS5 flushes a
  // segment per trigger statement, ~50 times the cost).
  const byTrigger = opts.messagesFtsByTrigger === false ? 0 : 1;
  db.function('kefu_fts_trigger', { deterministic: true }, () => byTrigger);
}
