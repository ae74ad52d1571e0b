/**
 * Idle presence (issue #15 item 1 of the user stories): the console reports input at most once a
 * minute (`POST /api/routing/me/activity`); the minute tick sets an online agent without input for
 * the rule's `awayAfterMinutes` away (`auto_away`: they keep their chats and get nothing new), and
 * their next input puts them back to the status they chose, and the queue is worked. An agent who
 * chooses a status by hand leaves auto-away too.
 */
import { sql } from 'kysely';
import type { Ctx, Services } from '../../context.ts';
import { drain, withAssigner } from './assigner.ts';
import type { Presence } from './policy.ts';
import { setPresence } from './presence.ts';
import { ruleFor, routingOn, rulesOf } from './rules.ts';
import { own } from './schema.ts';

/** The signed-in agent did something in the console. */
export async function noteActivity(ctx: Ctx): Promise<{ presence: Presence | null }> {
  const ws = ctx.actor.workspaceId;
  const userId = ctx.actor.userId;
  const now = ctx.clock.now().toISOString();
  const db = own(ctx.db);
  const a = await db
    .selectFrom('routing_agents')
    .selectAll()
    .where('user_id', '=', userId)
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  if (!a) return { presence: null }; // routing has not seen this agent (routing off, or never connected)
  if (!a.auto_away) {
    await db.updateTable('routing_agents').set({ last_input_at: now }).where('user_id', '=', userId).execute();
    return { presence: a.presence as Presence };
  }
  return withAssigner(ctx, ws, async (s) => {
    const cur = await own(s.db)
      .selectFrom('routing_agents')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    await own(s.db)
      .updateTable('routing_agents')
      .set({ last_input_at: now, auto_away: 0 })
      .where('user_id', '=', userId)
      .execute();
    if (!cur.auto_away || cur.presence !== 'away') return { presence: cur.presence as Presence };
    const to = cur.connections > 0 ? (cur.status as Presence) : 'offline';
    await setPresence(s, cur, to);
    await drain(s, ws);
    return { presence: to };
  });
}

/** The minute tick: online agents idle past their workspace's limit are set away (their chats stay with them). */
export async function idleTick(s: Services): Promise<number> {
  const wss = await own(s.db)
    .selectFrom('routing_agents')
    .select('workspace_id')
    .distinct()
    .where('presence', '=', 'online')
    .execute();
  let n = 0;
  for (const { workspace_id: ws } of wss) {
    const rules = await rulesOf(s, ws);
    const minutes = ruleFor(rules, null).awayAfterMinutes;
    if (!routingOn(rules) || minutes <= 0) continue;
    const cutoff = new Date(s.clock.now().getTime() - minutes * 60_000).toISOString();
    n += await withAssigner(s, ws, async (s) => {
      const idle = await own(s.db)
        .selectFrom('routing_agents')
        .selectAll()
        .where('workspace_id', '=', ws)
        .where('presence', '=', 'online')
        .where('auto_away', '=', 0)
        .where(sql<boolean>`coalesce(last_input_at, presence_since) < ${cutoff}`)
        .execute();
      for (const a of idle) {
        await own(s.db).updateTable('routing_agents').set({ auto_away: 1 }).where('user_id', '=', a.user_id).execute();
        await setPresence(s, a, 'away');
      }
      return idle.length;
    });
  }
  return n;
}
