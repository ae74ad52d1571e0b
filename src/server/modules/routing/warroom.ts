/**
 * What the queue looks like: each waiting shopper's position and estimated wait (pushed to the
 * widget), and the supervisors' war room (queue per inbox and group, agents, who waits longest,
 * assigned chats no agent has answered yet, service level for the last 15 minutes and today).
 */
import type { RoutingRule, WarRoom } from '../../../shared/routing-api.ts';
import type { Ctx, Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { toLocalByIntl } from '../../lib/time/zoned-time.ts';
import { firstHumanReplies } from '../conversations/index.ts';
import { inboxNames } from '../inboxes/index.ts';
import { getWorkspace } from '../workspaces/index.ts';
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

/**
 * What a waiting shopper is shown besides their place, from their inbox's rule (the workspace's
 * when the inbox has none): the notice (the surge notice while surge is on) and the wait after
 * which they are offered to leave a message. One object per rule, shared by its shoppers.
 */
export type QueueTerms = { notice: string; maxWaitSeconds: number };
export type QueueEntry = { position: number; waitSeconds: number | null; terms: QueueTerms };
export type QueueSnapshot = { positions: Map<string, QueueEntry> };

async function finishedSince(s: Db, workspaceId: string, since: string): Promise<number> {
  const r = await own(s.db)
    .selectFrom('routing_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('done_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Every waiting chat's position (1 = next), estimated wait (from the recent handling rate) and terms. */
export async function queueSnapshot(s: Services, workspaceId: string): Promise<QueueSnapshot> {
  const rules = await rulesOf(s, workspaceId);
  const rows = await own(s.db)
    .selectFrom('routing_items')
    .select(['id'])
    // Without inbox rules every shopper has the workspace's terms: the queue's index alone answers.
    .$if(rules.byInbox.size > 0, (q) => q.select('inbox_id'))
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'queued')
    .where('kind', '=', 'chat')
    .orderBy('priority', 'desc')
    .orderBy('arrived_at')
    .orderBy('id')
    .execute();
  const surge = await surgeNow(s, workspaceId);
  const byRule = new Map<RoutingRule, QueueTerms>();
  const termsOf = (inboxId: string | null | undefined): QueueTerms => {
    const rule = ruleFor(rules, inboxId ?? null);
    let terms = byRule.get(rule);
    // In surge mode shoppers see the surge notice ("当前咨询量较大…").
    if (!terms)
      byRule.set(rule, (terms = { notice: surge?.notice ?? rule.notice, maxWaitSeconds: rule.maxWaitSeconds }));
    return terms;
  };
  const since = new Date(s.clock.now().getTime() - rateWindowSeconds * 1000).toISOString();
  const done = rows.length ? await finishedSince(s, workspaceId, since) : 0;
  const positions = new Map<string, QueueEntry>();
  rows.forEach((r, i) =>
    positions.set(r.id, {
      position: i + 1,
      waitSeconds: estimatedWaitSeconds(i + 1, done, rateWindowSeconds),
      terms: termsOf(r.inbox_id),
    }),
  );
  return { positions };
}

type Level = { answered: number; withinTarget: number; missed: number; abandoned: number; share: number | null };

/**
 * Service level over the chats that arrived since `since`: the share whose first human reply came
 * within `target` seconds of their arrival in the queue. A chat still unanswered after `target`
 * seconds counts as missed; one that arrived less than `target` seconds ago without a reply is not
 * counted yet (it can still make it). Assignment alone is no answer. A chat whose shopper closed
 * the widget and left the queue unanswered (`left_as` abandoned) counts as abandoned at once, not
 * as missed (Zendesk's "abandoned"): it lowers the share like a miss.
 */
export function serviceLevel(
  rows: readonly { id: string; arrived_at: string; left_as?: string | null }[],
  replies: ReadonlyMap<string, string>,
  since: string,
  target: number,
  nowMs: number,
): Level {
  let answered = 0;
  let within = 0;
  let missed = 0;
  let abandoned = 0;
  for (const r of rows) {
    if (r.arrived_at < since) continue;
    const arrived = Date.parse(r.arrived_at);
    const reply = replies.get(r.id);
    const took = reply ? Date.parse(reply) - arrived : null;
    if (took !== null) {
      answered++;
      if (took <= target * 1000) within++;
    } else if (r.left_as === 'abandoned') abandoned++;
    else if (nowMs - arrived > target * 1000) missed++;
  }
  const counted = answered + missed + abandoned;
  return { answered, withinTarget: within, missed, abandoned, share: counted ? within / counted : null };
}

/** The start of today in the workspace's time zone. */
function startOfDay(nowMs: number, timeZone: string): Date {
  const l = toLocalByIntl(timeZone, nowMs);
  return new Date(nowMs - ((l.hour * 60 + l.minute) * 60 + l.second) * 1000 - l.ms);
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
  // The service level is one workspace-wide figure (the war room shows no per-inbox level), so its
  // target is the workspace rule's `serviceLevelSeconds`; the console sets it on that rule only.
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
  const held = await db
    .selectFrom('routing_items')
    .select(['id', 'inbox_id', 'agent_id', 'arrived_at', 'assigned_at'])
    .where('workspace_id', '=', ws)
    .where('kind', '=', 'chat')
    .where('state', 'in', ['assigned', 'manual'])
    .where('agent_id', 'is not', null)
    .execute();
  const people = new Map(
    (
      await activeMembers(ctx, ws, [...new Set([...agents.map((a) => a.user_id), ...held.map((h) => h.agent_id!)])])
    ).map((p) => [p.id, p.name]),
  );
  const workspace = await getWorkspace(ctx, ws);
  const dayStart = startOfDay(nowMs, workspace.timezone);
  const arrivedToday = await db
    .selectFrom('routing_items')
    .select(['id', 'arrived_at', 'left_as'])
    .where('workspace_id', '=', ws)
    .where('kind', '=', 'chat')
    .where('arrived_at', '>=', dayStart.toISOString())
    .execute();
  const replies = await firstHumanReplies(
    ctx,
    ws,
    arrivedToday.map((r) => ({ id: r.id, since: r.arrived_at })),
  );
  const heldReplies = await firstHumanReplies(
    ctx,
    ws,
    held.map((h) => ({ id: h.id, since: h.arrived_at })),
  );
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
  const unanswered = held
    .filter((h) => !heldReplies.has(h.id))
    .map((h) => ({
      id: h.id,
      inboxId: h.inbox_id,
      inboxName: inboxName(h.inbox_id),
      agentId: h.agent_id!,
      agentName: people.get(h.agent_id!) ?? null,
      arrivedAt: h.arrived_at,
      assignedAt: h.assigned_at,
      waitSeconds: waitOf(h.arrived_at),
      assignedSeconds: h.assigned_at ? waitOf(h.assigned_at) : 0,
    }))
    .sort((a, b) => b.waitSeconds - a.waitSeconds || a.id.localeCompare(b.id));
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
    unanswered: unanswered.slice(0, 200),
    unansweredCount: unanswered.length,
    serviceLevel: {
      targetSeconds: rule.serviceLevelSeconds,
      last15m: serviceLevel(arrivedToday, replies, since15, rule.serviceLevelSeconds, nowMs),
      today: serviceLevel(arrivedToday, replies, dayStart.toISOString(), rule.serviceLevelSeconds, nowMs),
    },
    warnings,
    surge: await surgeState(ctx, ws),
  };
}
