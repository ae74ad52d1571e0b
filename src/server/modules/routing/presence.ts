/**
 * Presence: the agent chooses online, busy or away; the connections say whether they are there.
 * The gateway counts connections up and down; when the last one closes the agent keeps their
 * presence for the grace period (a page reload drops nothing), then a job (never a timer) turns
 * them offline and puts their chats back in the queue, in their original order (they keep their
 * arrival time and priority).
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AgentSettingsBody } from '../../../shared/routing-api.ts';
import { publish, type Ctx, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import { activeMembers } from '../users/index.ts';
import { setRoutedAssignee } from '../conversations/index.ts';
import { drain, releaseSeat, withAssigner } from './assigner.ts';
import type { Presence } from './policy.ts';
import { ruleFor, routingOn, rulesOf } from './rules.ts';
import { own, type RoutingAgentsTable } from './schema.ts';

export const graceJob = 'routing.presence_grace';

/** The agent's routing row, created with the workspace's default capacity on first use. */
export async function ensureAgent(s: Services, workspaceId: string, userId: string): Promise<RoutingAgentsTable> {
  const db = own(s.db);
  const cur = await db.selectFrom('routing_agents').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (cur) return cur;
  const rule = ruleFor(await rulesOf(s, workspaceId), null);
  const now = s.clock.now().toISOString();
  const row: RoutingAgentsTable = {
    user_id: userId,
    workspace_id: workspaceId,
    status: 'online',
    presence: 'offline',
    presence_since: now,
    connections: 0,
    disconnected_at: null,
    capacity_chat: rule.defaultCapacityChat,
    capacity_ticket: rule.defaultCapacityTicket,
    capacity_set_at: null,
    load_chat: 0,
    load_ticket: 0,
    skills: '[]',
    last_assigned_at: null,
    updated_at: now,
    last_input_at: now,
    auto_away: 0,
  };
  await db
    .insertInto('routing_agents')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  return await db.selectFrom('routing_agents').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
}

export async function setPresence(s: Services, a: RoutingAgentsTable, to: Presence, requeued = 0): Promise<void> {
  if (a.presence === to) return;
  const now = s.clock.now().toISOString();
  await own(s.db)
    .updateTable('routing_agents')
    .set({ presence: to, presence_since: now, updated_at: now })
    .where('user_id', '=', a.user_id)
    .execute();
  await publish(s, 'routing.presence_changed', a.workspace_id, 'user', a.user_id, { from: a.presence, to, requeued });
}

/** An agent's socket opened (any node): they are present with their chosen status; the queue is worked. */
export async function agentConnected(s: Services, workspaceId: string, userId: string): Promise<void> {
  const rules = await rulesOf(s, workspaceId);
  if (!routingOn(rules)) return;
  await withAssigner(s, workspaceId, async (s) => {
    const a = await ensureAgent(s, workspaceId, userId);
    await own(s.db)
      .updateTable('routing_agents')
      .set({
        connections: sql`connections + 1`,
        disconnected_at: null,
        // Opening the console is input: an agent set away by inactivity is back.
        last_input_at: s.clock.now().toISOString(),
        auto_away: 0,
      })
      .where('user_id', '=', userId)
      .execute();
    await setPresence(s, a, a.status as Presence);
    await drain(s, workspaceId, rules);
  });
}

/** An agent's socket closed: after the last one, the grace period starts (a job checks at its end). */
export async function agentDisconnected(s: Services, workspaceId: string, userId: string): Promise<void> {
  const rules = await rulesOf(s, workspaceId);
  if (!routingOn(rules)) return;
  const now = s.clock.now();
  await withAssigner(s, workspaceId, async (s) => {
    const db = own(s.db);
    const a = await db.selectFrom('routing_agents').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!a) return;
    const left = Math.max(0, a.connections - 1);
    await db
      .updateTable('routing_agents')
      .set({ connections: left, disconnected_at: left ? a.disconnected_at : now.toISOString() })
      .where('user_id', '=', userId)
      .execute();
    if (left) return;
    const runAt = new Date(now.getTime() + ruleFor(rules, null).graceSeconds * 1000);
    await enqueue(s.db, s.clock, {
      type: graceJob,
      workspaceId,
      runAt,
      payload: { userId, since: now.toISOString() },
      uniqueKey: `${graceJob}:${userId}:${now.toISOString()}`,
    });
  });
}

/**
 * The grace period of a disconnect ended: unless the agent came back, they go offline and their
 * chats go back to the queue (their original order kept), then the queue is worked.
 */
export async function graceEnded(s: Services, workspaceId: string, userId: string, since: string): Promise<number> {
  return withAssigner(s, workspaceId, async (s) => {
    const db = own(s.db);
    const a = await db.selectFrom('routing_agents').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!a || a.connections > 0 || a.disconnected_at !== since) return 0;
    const n = await requeueAgent(s, workspaceId, a);
    await setPresence(s, a, 'offline', n);
    await drain(s, workspaceId);
    return n;
  });
}

/** Puts the agent's routed chats back in the queue (they keep arrival time and priority). */
async function requeueAgent(s: Services, workspaceId: string, a: RoutingAgentsTable): Promise<number> {
  const db = own(s.db);
  const items = await db
    .selectFrom('routing_items')
    .selectAll()
    .where('agent_id', '=', a.user_id)
    .where('state', '=', 'assigned')
    .where('kind', '=', 'chat')
    .execute();
  for (const item of items) {
    await releaseSeat(s, item);
    await db
      .updateTable('routing_items')
      .set({ state: 'queued', agent_id: null, assigned_at: null, version: sql`version + 1` })
      .where('id', '=', item.id)
      .where('version', '=', item.version)
      .execute();
    await setRoutedAssignee(s, workspaceId, item.id, null);
  }
  return items.length;
}

/** The agent sets their own status (online takes new work; busy and away keep what they have). */
export async function setMyStatus(ctx: Ctx, status: 'online' | 'busy' | 'away') {
  const ws = ctx.actor.workspaceId;
  await withAssigner(ctx, ws, async (s) => {
    const a = await ensureAgent(s, ws, ctx.actor.userId);
    const now = s.clock.now().toISOString();
    await own(s.db)
      .updateTable('routing_agents')
      .set({ status, updated_at: now, last_input_at: now, auto_away: 0 })
      .where('user_id', '=', a.user_id)
      .execute();
    // Without a live connection (or grace) the agent stays offline whatever they chose.
    if (a.presence !== 'offline' || a.connections > 0) await setPresence(s, a, status);
    await drain(s, ws);
  });
}

/**
 * The workspace rule's default capacities reach every agent who follows them (whose own capacities no
 * supervisor set); a raise lets them take waiting work at once.
 */
export async function applyDefaultCapacities(ctx: Ctx, chat: number, ticket: number): Promise<void> {
  const ws = ctx.actor.workspaceId;
  await withAssigner(ctx, ws, async (s) => {
    const r = await own(s.db)
      .updateTable('routing_agents')
      .set({ capacity_chat: chat, capacity_ticket: ticket, updated_at: s.clock.now().toISOString() })
      .where('workspace_id', '=', ws)
      .where('capacity_set_at', 'is', null)
      .where((eb) => eb.or([eb('capacity_chat', '!=', chat), eb('capacity_ticket', '!=', ticket)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) await drain(s, ws);
  });
}

/** A supervisor sets an agent's capacity and skills; lowering capacity below the load keeps the chats (no new ones). */
export async function saveAgentSettings(ctx: Ctx, userId: string, body: z.output<typeof AgentSettingsBody>) {
  const ws = ctx.actor.workspaceId;
  if (!(await activeMembers(ctx, ws, [userId])).length) throw notFound('agent');
  if (body.capacityChat < 1 || body.capacityTicket < 1) throw badRequest('capacity must be at least 1');
  await withAssigner(ctx, ws, async (s) => {
    await ensureAgent(s, ws, userId);
    const skills = [...new Set(body.skills)];
    await own(s.db)
      .updateTable('routing_agents')
      .set({
        // Below the current load: the agent keeps their work and gets nothing new until it falls.
        capacity_chat: body.capacityChat,
        capacity_ticket: body.capacityTicket,
        capacity_set_at: s.clock.now().toISOString(), // their own from now on: the defaults no longer reach them
        skills: JSON.stringify(skills),
        updated_at: s.clock.now().toISOString(),
      })
      .where('user_id', '=', userId)
      .execute();
    await publish(s, 'routing.agent_saved', ws, 'user', userId, {
      capacityChat: body.capacityChat,
      capacityTicket: body.capacityTicket,
    });
    await drain(s, ws);
  });
}

/**
 * Whether an agent has room for one more chat assigned by hand (the conversations module asks
 * before a person assigns one): their load counts routing's chats and those assigned by hand.
 * Null when they have room or routing is off; otherwise the reason, with the figures.
 */
export async function roomForManual(s: { db: Executor }, workspaceId: string, agentId: string): Promise<string | null> {
  const rules = await rulesOf(s, workspaceId);
  if (!routingOn(rules)) return null;
  const load = await chatLoad(s, workspaceId, agentId);
  if (load.used < load.capacity) return null;
  return `the agent has no free capacity (${load.used}/${load.capacity} chats); a supervisor may assign anyway`;
}

/** An agent's chats (routed and by hand) and chat capacity. */
export async function chatLoad(
  s: { db: Executor },
  workspaceId: string,
  agentId: string,
): Promise<{ used: number; capacity: number }> {
  const db = own(s.db);
  const a = await db
    .selectFrom('routing_agents')
    .select(['load_chat', 'capacity_chat'])
    .where('user_id', '=', agentId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  const manual = await db
    .selectFrom('routing_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .where('state', '=', 'manual')
    .where('kind', '=', 'chat')
    .executeTakeFirst();
  const capacity = a?.capacity_chat ?? ruleFor(await rulesOf(s, workspaceId), null).defaultCapacityChat;
  return { used: (a?.load_chat ?? 0) + Number(manual?.n ?? 0), capacity };
}
