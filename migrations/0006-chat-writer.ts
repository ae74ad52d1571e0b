import { sql, type Kysely } from 'kysely';

/**
 * The chat writer's storage rules (src/server/modules/conversations/commit-rules.ts):
 * - `prev` for shoppers (docs/REALTIME.md): `conversations.last_public_seq` is the seq of the last
 *   message that is not an internal note, and `messages.prev_public_seq` the one before each
 *   message, so a shopper's client can tell a note from a lost message. Computed here for the
 *   rows that exist; NULL only for rows a node of an older version writes during a rolling
 *   upgrade (such a message goes without `prev`).
 * - A resend is recognised by its sender (type and id) and client id, so two agents who happen
 *   to pick the same client id in one conversation no longer collide.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('last_public_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('messages').addColumn('prev_public_seq', 'integer').execute();

  // The largest earlier public seq of the same conversation, by a window over (conversation_id, seq).
  await sql`update messages set prev_public_seq = p.prev
    from (
      select id, coalesce(max(case when kind <> 'note' then seq end) over (
        partition by conversation_id order by seq rows between unbounded preceding and 1 preceding), 0) as prev
      from messages
    ) as p
    where messages.id = p.id`.execute(db);
  await sql`update conversations set last_public_seq = coalesce(
      (select max(m.seq) from messages m where m.conversation_id = conversations.id and m.kind <> 'note'), 0)`.execute(
    db,
  );

  // Every row unique under the old key is unique under the new one (it has more columns).
  // client_id second: the writer looks resends up by conversation and client id.
  await db.schema
    .createIndex('messages_sender_client_uq')
    .on('messages')
    .columns(['conversation_id', 'client_id', 'sender_type', 'sender_id'])
    .unique()
    .execute();
  await db.schema.dropIndex('messages_client_uq').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
