import { sql, type Kysely } from 'kysely';

/**
 * Routing's arrival path without a scan of the queue (module `routing`, issue #15 benchmark):
 * - routing_items_head: the queue in its order per kind (priority descending, then arrival), so
 *   the head of the queue and the shoppers' positions are read from the index without a sort; the
 *   old index had priority ascending, which forced a read and sort of every waiting item;
 * - routing_items_unexplained: only the waiting items that have no wait reason yet (just arrived
 *   or put back), so an arrival while nobody has room finds itself in O(1);
 * - routing_agents_chat_room / routing_agents_ticket_room: only the online agents with room for
 *   that kind of work, so "has anyone room?" is one index probe instead of a read of every agent.
 * The partial indexes' conditions are repeated literally by the queries in assigner.ts (both
 * engines use a partial index only when the query's WHERE contains its condition).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists routing_items_queue`.execute(db);
  await sql`create index routing_items_head on routing_items (workspace_id, state, kind, priority desc, arrived_at, id)`.execute(
    db,
  );
  await sql`create index routing_items_unexplained on routing_items (workspace_id, kind)
    where state = 'queued' and wait_reason is null`.execute(db);
  await sql`create index routing_agents_chat_room on routing_agents (workspace_id)
    where presence = 'online' and load_chat < capacity_chat`.execute(db);
  await sql`create index routing_agents_ticket_room on routing_agents (workspace_id)
    where presence = 'online' and load_ticket < capacity_ticket`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
