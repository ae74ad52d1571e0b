import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * SQLite only. FTS5 flushes its pending terms into a new segment at the end of every statement
 * that runs inside a trigger (a trigger's statement is a savepoint), so a message inserted through
 * the `messages_fts_insert` trigger cost ~1.7 ms of CPU on a database of 45,000 messages (a new
 * segment and merge work per message) against ~30 µs when the chat writer inserts the terms itself
 * in its batch transaction (pending terms are flushed once, at commit). The trigger now fires only
 * on connections whose `kefu_fts_trigger()` answers 1 (every connection except the chat writer's
 * thread, which inserts the terms next to each message: `sqlite-commit.ts`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') return;
  await sql`drop trigger messages_fts_insert`.execute(db);
  await sql
    .raw(
      `create trigger messages_fts_insert after insert on messages when kefu_fts_trigger() begin
        insert into messages_fts (rowid, terms) values (new.rowid, kefu_terms(new.body)); end`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
