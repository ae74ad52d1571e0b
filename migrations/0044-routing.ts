import { sql, type Kysely } from 'kysely';

/**
 * Routing (module `routing`):
 * - routing_agents: one row per agent who has been routed to: chosen status, live connections,
 *   effective presence and since when, capacity and current load per kind of work, skills;
 * - routing_items: one row per conversation (or ticket) routing has seen: queued, assigned or
 *   done, with its priority, arrival (the queue order), required skills and group;
 * - routing_rules: the assignment policy per workspace (`*`) or per inbox.
 * Loads are counters kept in the same transaction as the items; every change to them runs under
 * the workspace's assigner lock (README.md). A capacity may be lowered below the current load (the
 * agent gets nothing new until it falls), so the CHECKs only keep loads from going negative.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');

  await db.schema
    .createTable('routing_agents')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('workspace_id', 'text', ws)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('presence', 'text', (c) => c.notNull())
    .addColumn('presence_since', 'text', (c) => c.notNull())
    .addColumn('connections', 'integer', (c) => c.notNull())
    .addColumn('disconnected_at', 'text')
    .addColumn('capacity_chat', 'integer', (c) => c.notNull().check(sql`capacity_chat >= 0`))
    .addColumn('capacity_ticket', 'integer', (c) => c.notNull().check(sql`capacity_ticket >= 0`))
    .addColumn('load_chat', 'integer', (c) => c.notNull())
    .addColumn('load_ticket', 'integer', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('last_assigned_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('routing_agents_chat_room', sql`load_chat >= 0`)
    .addCheckConstraint('routing_agents_ticket_room', sql`load_ticket >= 0`)
    .execute();
  await db.schema.createIndex('routing_agents_ws').on('routing_agents').columns(['workspace_id', 'presence']).execute();

  await db.schema
    .createTable('routing_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('inbox_id', 'text')
    .addColumn('group_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('arrived_at', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('assigned_at', 'text')
    .addColumn('first_assigned_at', 'text')
    .addColumn('done_at', 'text')
    .addColumn('wait_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('routing_items_queue')
    .on('routing_items')
    .columns(['workspace_id', 'state', 'priority', 'arrived_at', 'id'])
    .execute();
  await db.schema.createIndex('routing_items_agent').on('routing_items').columns(['agent_id', 'state']).execute();
  await db.schema
    .createIndex('routing_items_customer')
    .on('routing_items')
    .columns(['workspace_id', 'customer_id', 'done_at'])
    .execute();
  await db.schema.createIndex('routing_items_done').on('routing_items').columns(['workspace_id', 'done_at']).execute();

  await db.schema
    .createTable('routing_rules')
    .addColumn('workspace_id', 'text', ws)
    .addColumn('inbox_id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('routing_rules_pk', ['workspace_id', 'inbox_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
