/**
 * Transfers: to an agent (who must be present and have room, or the caller is told why not) or to
 * a group (the conversation keeps its place in the queue and waits for that group's members).
 * Both sides hear of it through `routing.transferred` and the conversation's assignee change; the
 * audit log keeps the history.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { TransferBody } from '../../../shared/routing-api.ts';
import { publish, type Ctx, type Services } from '../../context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { getConversationRow, setRoutedAssignee } from '../conversations/index.ts';
import { groupExists } from '../teams/index.ts';
import { activeMembers } from '../users/index.ts';
import { drain, releaseSeat, withAssigner } from './assigner.ts';
import type { Rules } from './rules.ts';
import { ensureAgent } from './presence.ts';
import { own, type RoutingItemsTable } from './schema.ts';

/** The conversation's routing item, created (queued, at its creation time) when routing never saw it. */
async function itemOf(s: Services, workspaceId: string, id: string): Promise<RoutingItemsTable> {
  const db = own(s.db);
  const found = await db
    .selectFrom('routing_items')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (found) return found;
  const conv = await getConversationRow(s, workspaceId, id);
  const row: RoutingItemsTable = {
    id,
    workspace_id: workspaceId,
    kind: 'chat',
    inbox_id: conv.inbox_id,
    group_id: null,
    customer_id: conv.customer_id,
    state: conv.status === 'resolved' ? 'done' : conv.assignee_id ? 'manual' : 'queued',
    priority: 0,
    skills: '[]',
    arrived_at: conv.created_at,
    agent_id: conv.assignee_id,
    assigned_at: null,
    first_assigned_at: null,
    done_at: null,
    wait_reason: null,
    version: 0,
    last_agent_id: null,
    last_done_at: null,
  };
  await db.insertInto('routing_items').values(row).execute();
  return row;
}

export async function transfer(ctx: Ctx, id: string, body: z.output<typeof TransferBody>) {
  const ws = ctx.actor.workspaceId;
  await getConversationRow(ctx, ws, id); // 404 for another workspace's conversation
  if (body.agentId && !(await activeMembers(ctx, ws, [body.agentId])).length) throw notFound('agent');
  if (body.groupId && !(await groupExists(ctx, ws, body.groupId))) throw notFound('group');
  return withAssigner(ctx, ws, async (s) => {
    const db = own(s.db);
    const item = await itemOf(s, ws, id);
    if (item.state === 'done') throw new AppError(409, 'conversation_resolved', 'the conversation is resolved');
    const from = item.agent_id;
    if (body.agentId) {
      if (body.agentId === from) throw new AppError(409, 'same_agent', 'the conversation is already with this agent');
      const a = await ensureAgent(s, ws, body.agentId);
      if (a.presence === 'offline')
        throw new AppError(409, 'agent_offline', 'the agent is offline; transfer to a group or to someone online');
      if (a.load_chat >= a.capacity_chat)
        throw new AppError(
          409,
          'agent_full',
          `the agent has no free capacity (${a.load_chat}/${a.capacity_chat} chats)`,
        );
      await releaseSeat(s, item);
      const grown = await db
        .updateTable('routing_agents')
        .set({ load_chat: sql`load_chat + 1` })
        .where('user_id', '=', a.user_id)
        .where(sql<boolean>`load_chat < capacity_chat`)
        .executeTakeFirst();
      if (Number(grown.numUpdatedRows) !== 1) throw new AppError(409, 'agent_full', 'the agent has no free capacity');
      const now = s.clock.now().toISOString();
      await db
        .updateTable('routing_items')
        .set({
          state: 'assigned',
          agent_id: a.user_id,
          assigned_at: now,
          first_assigned_at: sql`coalesce(first_assigned_at, ${now})`,
          wait_reason: null,
          version: sql`version + 1`,
        })
        .where('id', '=', id)
        .where('version', '=', item.version)
        .execute();
      await setRoutedAssignee(s, ws, id, a.user_id);
    } else {
      await releaseSeat(s, item);
      // Back in the queue for the group, keeping its place (arrival time and priority).
      await db
        .updateTable('routing_items')
        .set({ state: 'queued', agent_id: null, assigned_at: null, group_id: body.groupId!, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', item.version)
        .execute();
      await setRoutedAssignee(s, ws, id, null);
    }
    await publish(s, 'routing.transferred', ws, 'conversation', id, {
      from,
      toAgent: body.agentId ?? null,
      toGroup: body.groupId ?? null,
      reason: body.reason ?? null,
    });
    await drain(s, ws);
    const after = await db.selectFrom('routing_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { id, state: after.state, agentId: after.agent_id, groupId: after.group_id };
  });
}

/**
 * Somebody other than routing changed the assignee (a person assigned it by hand, or unassigned
 * it): the item leaves routing's capacity accounting ("manual") or queues again, and the seat it
 * held is given back. Reads the item under the assigner lock: a copy read before it may be stale
 * (another node moved the item since), and giving back a seat for a stale copy would leave the
 * agent's load below what they hold. Routing's own change, or an old event overtaken by a later
 * one, is ignored.
 */
export async function followAssignee(
  s: Services,
  workspaceId: string,
  read: RoutingItemsTable,
  change: { from: string | null; to: string | null },
  rules?: Rules,
): Promise<void> {
  const id = read.id;
  const stale = (i: RoutingItemsTable | undefined) =>
    !i || i.state === 'done' || i.agent_id === change.to || i.agent_id !== change.from;
  const itemOf = (s: Services) =>
    own(s.db)
      .selectFrom('routing_items')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
  if (stale(read)) return;
  await withAssigner(s, workspaceId, async (s) => {
    const item = await itemOf(s);
    if (stale(item)) return;
    await releaseSeat(s, item!);
    await own(s.db)
      .updateTable('routing_items')
      .set({
        state: change.to ? 'manual' : 'queued',
        agent_id: change.to,
        assigned_at: change.to ? s.clock.now().toISOString() : null,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .where('version', '=', item!.version)
      .execute();
    await drain(s, workspaceId, rules);
  });
}
