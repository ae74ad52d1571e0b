import { type Kysely } from 'kysely';

/**
 * Surge mode and idle presence (module `routing`, issue #15):
 * - routing_surge: one row per workspace that set surge mode up: its settings (JSON: by hand,
 *   schedule windows, the promotion calendar, a queue length with hysteresis, the shoppers'
 *   notice, deferred inboxes) and whether it is on now, why and since when (changed only by
 *   compare-and-set from the state read, so two nodes announce a change once);
 * - routing_agents.last_input_at / auto_away: the console reports input; an agent without input
 *   for the configured minutes is set away by the minute tick (auto_away = 1) and back to their
 *   chosen status at the next input.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('routing_surge')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('since', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('routing_agents').addColumn('last_input_at', 'text').execute();
  await db.schema
    .alterTable('routing_agents')
    .addColumn('auto_away', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
