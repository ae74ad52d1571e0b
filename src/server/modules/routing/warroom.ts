/**
 * What the queue looks like: each waiting shopper's position and estimated wait (pushed to the
 * widget), and the supervisors' war room (queue per inbox and group, agents, who waits longest,
 * service level for the last 15 minutes and today).
 */
import type { WarRoom } from '../../../shared/routing-api.ts';
import type { Ctx, Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { inboxNames } from '../inboxes/index.ts';
import { groupNames, groupsByMember } from '../teams/index.ts';
import { activeMembers } from '../users/index.ts';
import { parseList } from './assigner.ts';
import { estimatedWaitSeconds, type Presence } from './policy.ts';
import { ruleFor, rulesOf } from './rules.ts';
import { own } from './schema.ts';
import { surgeNow, surgeState } from './surge.ts';

type Db = { db: Executor };
/** The handling rate behind estimated waits is measured over this window. */
export const rateWindowSeconds = 15 * 60;

export type QueueEntry = { position: number; waitSeconds: number | null };
export type QueueSnapshot = {
  positions: Map<string, QueueEntry>;
  notice: string;
  maxWaitSeconds: number;
};

async function finishedSince(s: Db, workspaceId: string, since: string): Promise<number> {
  const r = await own(s.db)
    .selectFrom('routing_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('done_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Every waiting chat's position (1 = next) and estimated wait, from the recent handling rate. */
export async function queueSnapshot(s: Services, workspaceId: string): Promise<QueueSnapshot> {
  const rows = await own(s.db)
    .selectFrom('routing_items')
    .select(['id'])
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'queued')
    .where('kind', '=', 'chat')
    .orderBy('priority', 'desc')
    .orderBy('arrived_at')
    .orderBy('id')
    .execute();
  const rule = ruleFor(await rulesOf(s, workspaceId), null);
  const surge = await surgeNow(s, workspaceId);
  const since = new Date(s.clock.now().getTime() - rateWindowSeconds * 1000).toISOString();
  const done = rows.length ? await finishedSince(s, workspaceId, since) : 0;
  const positions = new Map<string, QueueEntry>();
  rows.forEach((r, i) =>
    positions.set(r.id, { position: i + 1, waitSeconds: estimatedWaitSeconds(i + 1, done, rateWindowSeconds) }),
  );
  // In surge mode shoppers see the surge notice ("当前咨询量较大…").
  return { positions, notice: surge?.notice ?? rule.notice, maxWaitSeconds: rule.maxWaitSeconds };
}

type Level = { answered: number; withinTarget: number; share: number | null };

function level(rows: { arrived_at: string; first_assigned_at: string | null }[], since: string, target: number): Level {
  let answered = 0;
  let within = 0;
  for (const r of rows) {
    if (!r.first_assigned_at || r.first_assigned_at < since) continue;
    answered++;
    if (Date.parse(r.first_assigned_at) - Date.parse(r.arrived_at) <= target * 1000) within++;
  }
  return { answered, withinTarget: within, share: answered ? within / answered : null };
}

function groupBy<K>(items: { key: K; wait: number }[]) {
  const m = new Map<K, { length: number; longestWaitSeconds: number }>();
  for (const { key, wait } of items) {
    const cur = m.get(key) ?? { length: 0, longestWaitSeconds: 0 };
    m.set(key, { length: cur.length + 1, longestWaitSeconds: Math.max(cur.longestWaitSeconds, wait) });
  }
  return [...m];
}

/** The war room: one read of the queue, the agents and today's answered conversations. */
export async function warRoom(ctx: Ctx): Promise<WarRoom> {
  const ws = ctx.actor.workspaceId;
  const db = own(ctx.db);
  const now = ctx.clock.now();
  const nowMs = now.getTime();
  const rule = ruleFor(await rulesOf(ctx, ws), null);
  const queued = await db
    .selectFrom('routing_items')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('state', '=', 'queued')
    .orderBy('priority', 'desc')
    .orderBy('arrived_at')
    .orderBy('id')
    .execute();
  const agents = await db.selectFrom('routing_agents').selectAll().where('workspace_id', '=', ws).execute();
  const people = new Map(
    (
      await activeMembers(
        ctx,
        ws,
        agents.map((a) => a.user_id),
      )
    ).map((p) => [p.id, p.name]),
  );
  const dayStart = new Date(now);
  dayStart.setUTCHours(0, 0, 0, 0);
  const answeredToday = await db
    .selectFrom('routing_items')
    .select(['arrived_at', 'first_assigned_at'])
    .where('workspace_id', '=', ws)
    .where('first_assigned_at', '>=', dayStart.toISOString())
    .execute();
  const since15 = new Date(nowMs - 15 * 60_000).toISOString();
  const done = await finishedSince(ctx, ws, new Date(nowMs - rateWindowSeconds * 1000).toISOString());
  const waitOf = (at: string) => Math.max(0, Math.round((nowMs - Date.parse(at)) / 1000));
  const inboxes = await inboxNames(ctx, ws);
  const groups = await groupNames(ctx, ws);
  const memberOf = await groupsByMember(ctx, ws);
  const inboxName = (id: string | null) => (id ? (inboxes.get(id) ?? null) : null);
  const groupName = (id: string | null) => (id ? (groups.get(id) ?? null) : null);
  const waiting = queued.map((q, i) => ({
    id: q.id,
    inboxId: q.inbox_id,
    inboxName: inboxName(q.inbox_id),
    groupId: q.group_id,
    groupName: groupName(q.group_id),
    position: i + 1,
    priority: q.priority,
    arrivedAt: q.arrived_at,
    waitSeconds: waitOf(q.arrived_at),
    reason: q.wait_reason,
    skills: parseList(q.skills),
  }));
  const warnings = waiting.flatMap((w) =>
    w.reason === 'missing_skill' || w.reason === 'empty_group'
      ? [
          {
            conversationId: w.id,
            reason: w.reason as 'missing_skill' | 'empty_group',
            skills: w.skills,
            inboxName: w.inboxName,
            groupName: w.groupName,
          },
        ]
      : [],
  );
  return {
    at: now.toISOString(),
    queue: {
      length: waiting.length,
      longestWaitSeconds: waiting.reduce((m, w) => Math.max(m, w.waitSeconds), 0),
      estimatedWaitSeconds: estimatedWaitSeconds(waiting.length, done, rateWindowSeconds),
    },
    byInbox: groupBy(waiting.map((w) => ({ key: w.inboxId, wait: w.waitSeconds }))).map(([inboxId, v]) => ({
      inboxId,
      inboxName: inboxName(inboxId),
      ...v,
    })),
    byGroup: groupBy(waiting.map((w) => ({ key: w.groupId, wait: w.waitSeconds }))).map(([groupId, v]) => ({
      groupId,
      groupName: groupName(groupId),
      ...v,
    })),
    agents: agents
      .filter((a) => people.has(a.user_id))
      .map((a) => ({
        userId: a.user_id,
        name: people.get(a.user_id)!,
        status: a.status as 'online' | 'busy' | 'away',
        presence: a.presence as Presence,
        presenceSince: a.presence_since,
        capacityChat: a.capacity_chat,
        capacityTicket: a.capacity_ticket,
        loadChat: a.load_chat,
        loadTicket: a.load_ticket,
        skills: parseList(a.skills),
        groups: (memberOf.get(a.user_id) ?? []).flatMap((g) => groups.get(g) ?? []),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    waiting: waiting.slice(0, 200),
    serviceLevel: {
      targetSeconds: rule.serviceLevelSeconds,
      last15m: level(answeredToday, since15, rule.serviceLevelSeconds),
      today: level(answeredToday, dayStart.toISOString(), rule.serviceLevelSeconds),
    },
    warnings,
    surge: await surgeState(ctx, ws),
  };
}
