import type { Kysely } from 'kysely';

/**
 * routing_agents.capacity_set_at: when a supervisor last set the agent's own capacities (null: the
 * agent follows the workspace rule's default capacities, which now reach them when the rule
 * changes; before, the default was copied once, at the agent's first routing, and never again).
 * Rows from before: an agent whose capacities differ from their workspace rule's defaults was set by
 * hand; one whose capacities equal them follows the defaults from now on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('routing_agents').addColumn('capacity_set_at', 'text').execute();
  await markOwnCapacities(db);
}

/** Marks the agents whose capacities differ from their workspace rule's defaults as set by hand. */
export async function markOwnCapacities(db: Kysely<any>): Promise<void> {
  const rules = (await db
    .selectFrom('routing_rules')
    .select(['workspace_id', 'definition'])
    .where('inbox_id', '=', '*')
    .execute()) as { workspace_id: string; definition: string }[];
  const defaults = new Map<string, { chat: number; ticket: number }>();
  for (const r of rules) {
    const d = JSON.parse(r.definition) as { defaultCapacityChat?: number; defaultCapacityTicket?: number };
    defaults.set(r.workspace_id, { chat: d.defaultCapacityChat ?? 5, ticket: d.defaultCapacityTicket ?? 20 });
  }
  const agents = (await db
    .selectFrom('routing_agents')
    .select(['user_id', 'workspace_id', 'capacity_chat', 'capacity_ticket', 'updated_at'])
    .execute()) as {
    user_id: string;
    workspace_id: string;
    capacity_chat: number;
    capacity_ticket: number;
    updated_at: string;
  }[];
  for (const a of agents) {
    const d = defaults.get(a.workspace_id) ?? { chat: 5, ticket: 20 };
    if (a.capacity_chat === d.chat && a.capacity_ticket === d.ticket) continue;
    await db
      .updateTable('routing_agents')
      .set({ capacity_set_at: a.updated_at })
      .where('user_id', '=', a.user_id)
      .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
