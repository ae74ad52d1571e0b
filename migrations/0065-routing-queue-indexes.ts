import { sql, type Kysely } from 'kysely';

/**
 * Routing's arrival path without a scan of the queue (module `routing`, issue #15 benchmark):
 * - routing_items_head: the queue in its order per kind (priority descending, then arrival), so
 *   the head of the queue and the shoppers' positions are read from the index without a sort; the
 *   old index had priority ascending, which forced a read and sort of every waiting item;
 * - routing_items_unexplained: finds the waiting items that have no wait reason yet (just arrived
 *   or put back, `wait_reason is null`), so an arrival while nobody has room finds itself in O(1);
 * - routing_agents_chat_room / routing_agents_ticket_room: only the online agents with room for
 *   that kind of work, so "has anyone room?" is one index probe instead of a read of every agent.
 *   Their conditions are repeated literally by the query in assigner.ts (both engines use a
 *   partial index only when the query's WHERE contains its condition), and they carry the same
 *   columns as routing_agents_ws so that SQLite's planner, without statistics, prefers them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists routing_items_queue`.execute(db);
  await sql`create index routing_items_head on routing_items (workspace_id, state, kind, priority desc, arrived_at, id)`.execute(
    db,
  );
  await sql`create index routing_items_unexplained on routing_items (workspace_id, state, kind, wait_reason)`.execute(
    db,
  );
  await sql`create index routing_agents_chat_room on routing_agents (workspace_id, presence)
    where presence = 'online' and load_chat < capacity_chat`.execute(db);
  await sql`create index routing_agents_ticket_room on routing_agents (workspace_id, presence)
    where presence = 'online' and load_ticket < capacity_ticket`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
