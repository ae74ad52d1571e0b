/** The assigner's cheap probes: one index probe each (migration 0065), so an arrival during a burst costs the same however long the queue. */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { Kind } from './policy.ts';
import { own } from './schema.ts';

/**
 * The room conditions exactly as the partial indexes of migration 0065 state them (both engines
 * use a partial index only when the query repeats its condition), so "has anyone room?" is one
 * index probe however many agents are full.
 */
export const roomOf: Record<Kind, ReturnType<typeof sql>> = {
  chat: sql`presence = 'online' and load_chat < capacity_chat`,
  ticket: sql`presence = 'online' and load_ticket < capacity_ticket`,
};

export async function anyRoom(db: Executor, workspaceId: string, kind: Kind): Promise<boolean> {
  const r = await sql<{ x: number }>`select 1 as x from routing_agents
    where workspace_id = ${workspaceId} and ${roomOf[kind]} limit 1`.execute(db);
  return r.rows.length > 0;
}

/** One probe of the queue's index: does anything of this kind wait? */
export async function anyWaiting(db: Executor, workspaceId: string, kind: Kind): Promise<boolean> {
  const row = await own(db)
    .selectFrom('routing_items')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'queued')
    .where('kind', '=', kind)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}
