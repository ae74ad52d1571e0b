import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * SQLite only. FTS5 flushes its pending terms into a new segment whenever a statement that may
 * write it opens a savepoint — and an INSERT on `messages` whose trigger program writes
 * `messages_fts` does, for every message, even when the trigger's WHEN clause is false. Through
 * the trigger a message cost ~1,500–1,700 µs of CPU on a database of 45,000 messages (a segment
 * and merge work per message) against ~25 µs without it (measured with `node:sqlite`, batches of
 * 500). So the trigger now only queues the new rowid in a plain table, and the queue is indexed by
 * one statement: by the chat writer before each batch's COMMIT (`sqlite-commit.ts`), and at start-up
 * for rows that other writers left (`indexPendingMessages`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') return;
  await sql`drop trigger messages_fts_insert`.execute(db);
  await sql`create table messages_fts_pending (message_rowid integer primary key)`.execute(db);
  await sql
    .raw(
      `create trigger messages_fts_insert after insert on messages begin
        insert into messages_fts_pending (message_rowid) values (new.rowid); end`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
