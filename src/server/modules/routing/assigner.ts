/**
 * The assigner: every change to the queue and to agents' loads runs in one transaction that first
 * takes the workspace's assigner lock (PostgreSQL: a transaction-scoped advisory lock; SQLite: the
 * one writing connection serialises transactions already), so on any number of nodes exactly one
 * assigner works a workspace's queue at a time and sees the committed state of the last one. The
 * writes are compare-and-set besides (an item moves only from the state it was read in; a load
 * grows only below capacity; CHECK constraints in the table), so a bug fails loudly instead of
 * double-assigning. See README.md.
 */
import { sql } from 'kysely';
import { afterCommit, publish, unitOfWork, type Services } from '../../context.ts';
import { engineOf, type Executor } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { setRoutedAssignee } from '../conversations/index.ts';
import { getTicket, systemWho, updateTicket } from '../tickets/index.ts';
import { customerTier } from '../customers/index.ts';
import { groupsByMember } from '../teams/index.ts';
import {
  plan,
  priorityOf,
  waitReason,
  type AgentView,
  type ItemView,
  type Kind,
  type Presence,
  type Strategy,
  type WaitReason,
} from './policy.ts';
import { policyFor, ruleFor, rulesOf, type Rules } from './rules.ts';
import { anyRoom, anyWaiting, roomOf } from './probes.ts';
import { maybeEvaluateSurge, surgeNow } from './surge.ts';
import { own, type RoutingAgentsTable, type RoutingItemsTable } from './schema.ts';

export const routingChannel = 'routing';
/** After a queue change (`at`, server ms): positions recomputed, `assigned` told 0; `gone`: leave.ts `shopperGone`. */
export type RoutingBusMessage = { ws: string; at: number; assigned?: string[]; gone?: string };

/** Takes the workspace's assigner lock for the rest of the transaction. */
export async function lockWorkspace(db: Executor, workspaceId: string): Promise<void> {
  if (engineOf(db) === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtext(${'routing:' + workspaceId}))`.execute(db);
}

/** Runs `fn` in a unit of work holding the workspace's assigner lock; announces the change after commit. */
export async function withAssigner<T>(s: Services, workspaceId: string, fn: (s: Services) => Promise<T>): Promise<T> {
  return unitOfWork(s, async (s) => {
    await lockWorkspace(s.db, workspaceId);
    const out = await fn(s);
    await afterCommit(s, () => s.bus.publish(routingChannel, announce(workspaceId)));
    return out;
  });
}

export const parseList = (j: string): string[] => JSON.parse(j) as string[];
const loadCol = (k: Kind): 'load_chat' | 'load_ticket' => (k === 'chat' ? 'load_chat' : 'load_ticket');
const capCol = (k: Kind): 'capacity_chat' | 'capacity_ticket' => (k === 'chat' ? 'capacity_chat' : 'capacity_ticket');

export function agentView(a: RoutingAgentsTable, kind: Kind, groups: Map<string, string[]>): AgentView {
  return {
    id: a.user_id,
    presence: a.presence as Presence,
    capacity: a[capCol(kind)],
    load: a[loadCol(kind)],
    skills: parseList(a.skills),
    groups: groups.get(a.user_id) ?? [],
    lastAssignedAt: a.last_assigned_at,
  };
}

export type Arrival = {
  workspaceId: string;
  id: string;
  kind: Kind;
  inboxId: string | null;
  customerId: string | null;
  /** Extra priority (e.g. a complaint, a large order) on top of the customer's tier. */
  priority?: number;
  /** A ticket's group (tickets are routed per group); chats take the group of their inbox's rule. */
  groupId?: string | null;
};

export type Assignment = { itemId: string; agentId: string };

/**
 * A new (or reopened) conversation joins the queue and the queue is worked at once (the
 * assignments made are returned). Idempotent: an item already queued or assigned stays as it is
 * (listeners may run twice).
 */
export async function arrive(s: Services, a: Arrival, rules?: Rules): Promise<Assignment[]> {
  const r = rules ?? (await rulesOf(s, a.workspaceId));
  const rule = ruleFor(r, a.inboxId);
  if (!rule.enabled) return [];
  const tier = a.customerId ? await customerTier(s, a.customerId) : null;
  const priority = priorityOf(tier, rule.tierBoosts) + (a.priority ?? 0);
  const now = s.clock.now().toISOString();
  const made = await withAssigner(s, a.workspaceId, async (s) => {
    const db = own(s.db);
    const cur = await db.selectFrom('routing_items').selectAll().where('id', '=', a.id).executeTakeFirst();
    if (cur && cur.state !== 'done') return [];
    const row: RoutingItemsTable = {
      id: a.id,
      workspace_id: a.workspaceId,
      kind: a.kind,
      inbox_id: a.inboxId,
      group_id: a.groupId !== undefined ? a.groupId : rule.groupId,
      customer_id: a.customerId,
      state: 'queued',
      priority,
      skills: JSON.stringify(a.kind === 'chat' ? rule.skills : []),
      arrived_at: now,
      agent_id: null,
      assigned_at: null,
      first_assigned_at: null,
      done_at: null,
      wait_reason: null,
      version: 0,
      // Reopened: who served it last stays known (sticky), the agent and done time are cleared.
      last_agent_id: cur ? (cur.agent_id ?? cur.last_agent_id) : null,
      last_done_at: cur ? (cur.agent_id ? cur.done_at : cur.last_done_at) : null,
    };
    if (cur) {
      const { id: _id, version: _v, ...rest } = row;
      await db
        .updateTable('routing_items')
        .set({ ...rest, version: sql`version + 1` })
        .where('id', '=', a.id)
        .where('state', '=', 'done')
        .execute();
    } else await db.insertInto('routing_items').values(row).execute();
    return drain(s, a.workspaceId, r, [a.kind]); // only this kind's queue changed
  });
  await maybeEvaluateSurge(s, a.workspaceId);
  return made;
}

/** How many waiting items one pass looks at (more than any workspace's free seats). */
const scanLimit = 2000;

type Team = { agents: RoutingAgentsTable[]; groups: Map<string, string[]> };
const allKinds: readonly Kind[] = ['chat', 'ticket'];
/**
 * Works the queues of `kinds` (an arrival or a resolution changes one): where an agent has room the
 * oldest waiting items (highest priority first) go to agents under their inbox's strategy; with no
 * room only items without a wait reason yet (new, put back) are read, so an arrival in a burst costs
 * the same with 10 or 10,000 waiting. Runs inside `withAssigner`; returns the assignments made.
 */
export async function drain(s: Services, workspaceId: string, rules?: Rules, kinds = allKinds): Promise<Assignment[]> {
  const r = rules ?? (await rulesOf(s, workspaceId));
  let team: Team | null = null;
  const teamOf = async (): Promise<Team> =>
    (team ??= {
      agents: await own(s.db)
        .selectFrom('routing_agents')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .execute(),
      groups: await groupsByMember(s, workspaceId),
    });
  const made: Assignment[] = [];
  for (const kind of kinds) {
    if (!(await anyWaiting(s.db, workspaceId, kind))) continue;
    if (await anyRoom(s.db, workspaceId, kind)) {
      // Surge mode may defer low-priority inboxes: everything else first, then (if seats remain) them.
      const surge = await surgeNow(s, workspaceId);
      if (!surge?.defer.length) made.push(...(await work(s, workspaceId, kind, r, teamOf)));
      else {
        made.push(...(await work(s, workspaceId, kind, r, teamOf, { inboxes: surge.defer, deferred: false })));
        if (await anyRoom(s.db, workspaceId, kind))
          made.push(...(await work(s, workspaceId, kind, r, teamOf, { inboxes: surge.defer, deferred: true })));
      }
    } else await explain(s, workspaceId, kind, r, teamOf);
  }
  return made;
}

/**
 * Somebody has room for `kind`: the head of its queue, deep enough that items nobody can take
 * (skills) do not hide the ones behind. Only the agents with room are read first (the partial
 * index of 0065): when every item read is plain (no skills, no group) they are all the plan needs
 * (it assigns only to agents with room, and a plain item that stays waits for capacity), so a
 * resolution that frees one seat reads one agent, not the whole team (the benchmark's drain).
 */
async function work(
  s: Services,
  workspaceId: string,
  kind: Kind,
  r: Rules,
  teamOf: () => Promise<Team>,
  defer?: { inboxes: string[]; deferred: boolean },
): Promise<Assignment[]> {
  const withRoom = (
    await sql<RoutingAgentsTable>`select * from routing_agents
    where workspace_id = ${workspaceId} and ${roomOf[kind]}`.execute(s.db)
  ).rows;
  const free = withRoom.reduce((n, a) => n + Math.max(0, a[capCol(kind)] - a[loadCol(kind)]), 0);
  const items = await own(s.db)
    .selectFrom('routing_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'queued')
    .where('kind', '=', kind)
    .$if(!!defer, (q) =>
      defer!.deferred
        ? q.where('inbox_id', 'in', defer!.inboxes)
        : q.where((eb) => eb.or([eb('inbox_id', 'is', null), eb('inbox_id', 'not in', defer!.inboxes)])),
    )
    .orderBy('priority', 'desc')
    .orderBy('arrived_at')
    .orderBy('id')
    .limit(Math.min(scanLimit, 100 + free * 20))
    .execute();
  if (!items.length) return [];
  const plain = items.every((q) => q.skills === '[]' && !q.group_id);
  const team: Team = plain ? { agents: withRoom, groups: new Map() } : await teamOf();
  const now = s.clock.now();
  const nowIso = now.toISOString();
  const views: ItemView[] = [];
  for (const q of items) views.push(await itemView(s, q, r, now, true));
  const byId = new Map(items.map((q) => [q.id, q]));
  const strategyOf = (v: ItemView): Strategy => {
    const q = byId.get(v.id)!;
    return policyFor(r, q.inbox_id, q.group_id).strategy;
  };
  const p = plan(
    views,
    team.agents.map((a) => agentView(a, kind, team.groups)),
    strategyOf,
    nowIso,
  );
  await applyPlan(s, workspaceId, kind, p.assignments, nowIso);
  await recordReasons(s, items, p.waiting);
  return p.assignments;
}

/**
 * Nobody has room for `kind`: the items without a reason yet get one. Plain items (no skills, no
 * group) wait for capacity as soon as the workspace has any agent, without reading the agents.
 */
async function explain(s: Services, workspaceId: string, kind: Kind, r: Rules, teamOf: () => Promise<Team>) {
  const db = own(s.db);
  const fresh = await db
    .selectFrom('routing_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('state', '=', 'queued')
    .where('wait_reason', 'is', null)
    .limit(100)
    .execute();
  if (!fresh.length) return;
  const reasons = new Map<string, WaitReason>();
  if (fresh.every((q) => q.skills === '[]' && !q.group_id)) {
    const someone = await db
      .selectFrom('routing_agents')
      .select('user_id')
      .where('workspace_id', '=', workspaceId)
      .limit(1)
      .executeTakeFirst();
    for (const q of fresh) reasons.set(q.id, someone ? 'capacity' : 'missing_skill');
  } else {
    const team = await teamOf();
    const agents = team.agents.map((a) => agentView(a, kind, team.groups));
    const now = s.clock.now();
    for (const q of fresh) reasons.set(q.id, waitReason(await itemView(s, q, r, now, false), agents));
  }
  await recordReasons(s, fresh, reasons);
}

async function recordReasons(s: Services, items: RoutingItemsTable[], reasons: Map<string, WaitReason>) {
  for (const q of items) {
    const reason = reasons.get(q.id);
    if (!reason || reason === q.wait_reason) continue;
    await own(s.db).updateTable('routing_items').set({ wait_reason: reason }).where('id', '=', q.id).execute();
    if (reason !== 'capacity') await warnUnroutable(s, q, reason);
  }
}

async function itemView(s: Services, q: RoutingItemsTable, r: Rules, now: Date, sticky: boolean): Promise<ItemView> {
  const rule = policyFor(r, q.inbox_id, q.group_id);
  let stickyAgentId: string | null = null;
  if (sticky && rule.strategy === 'sticky' && q.customer_id && rule.stickyMinutes > 0) {
    const since = new Date(now.getTime() - rule.stickyMinutes * 60_000).toISOString();
    const last = await own(s.db)
      .selectFrom('routing_items')
      .select(['agent_id', 'done_at'])
      .where('workspace_id', '=', q.workspace_id)
      .where('customer_id', '=', q.customer_id)
      .where('done_at', '>=', since)
      .where('agent_id', 'is not', null)
      .orderBy('done_at', 'desc')
      .executeTakeFirst();
    // A reopened item remembers its own last service (its row no longer reads as done).
    const mine = q.last_agent_id && q.last_done_at && q.last_done_at >= since ? q.last_done_at : null;
    stickyAgentId = mine && (!last || mine >= last.done_at!) ? q.last_agent_id : (last?.agent_id ?? null);
  }
  return { id: q.id, skills: parseList(q.skills), groupId: q.group_id, stickyAgentId };
}

async function warnUnroutable(s: Services, q: RoutingItemsTable, reason: string): Promise<void> {
  await publish(s, 'routing.unroutable', q.workspace_id, 'conversation', q.id, {
    reason,
    skills: parseList(q.skills),
    groupId: q.group_id,
  });
}

/** Writes a plan with compare-and-set guards; any guard that fails aborts the whole transaction. */
async function applyPlan(
  s: Services,
  workspaceId: string,
  kind: Kind,
  assignments: { itemId: string; agentId: string }[],
  now: string,
) {
  if (!assignments.length) return;
  const db = own(s.db);
  const perAgent = new Map<string, number>();
  for (const a of assignments) perAgent.set(a.agentId, (perAgent.get(a.agentId) ?? 0) + 1);
  for (const [agentId, n] of perAgent) {
    const load = loadCol(kind);
    const res = await db
      .updateTable('routing_agents')
      .set({ [load]: sql`${sql.ref(load)} + ${n}`, last_assigned_at: now } as never)
      .where('user_id', '=', agentId)
      .where('presence', '=', 'online')
      .where(sql<boolean>`${sql.ref(load)} + ${n} <= ${sql.ref(capCol(kind))}`)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'routing_conflict', 'an agent changed meanwhile');
  }
  for (const a of assignments) {
    const res = await db
      .updateTable('routing_items')
      .set({
        state: 'assigned',
        agent_id: a.agentId,
        assigned_at: now,
        first_assigned_at: sql`coalesce(first_assigned_at, ${now})`,
        wait_reason: null,
        version: sql`version + 1`,
      })
      .where('id', '=', a.itemId)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'routing_conflict', 'an item changed meanwhile');
    if (kind === 'chat') await setRoutedAssignee(s, workspaceId, a.itemId, a.agentId);
    else await assignTicket(s, workspaceId, a.itemId, a.agentId);
  }
  const assigned = kind === 'chat' ? assignments.map((a) => a.itemId) : [];
  if (assigned.length) await afterCommit(s, () => s.bus.publish(routingChannel, announce(workspaceId, assigned)));
}

const announce = (ws: string, assigned?: string[]): RoutingBusMessage => ({ ws, at: Date.now(), assigned });

/** Writes routing's choice on the ticket in the same transaction (its timeline shows the system assigning it). */
async function assignTicket(s: Services, workspaceId: string, id: string, agentId: string | null): Promise<void> {
  const who = systemWho(workspaceId);
  const t = await getTicket(s, who, id);
  if (t.assigneeId === agentId) return;
  await updateTicket(s, who, id, { version: t.version, assigneeId: agentId });
}

/** Gives back the agent's seat for an item that leaves them (resolved, transferred, requeued). */
export async function releaseSeat(s: Services, item: RoutingItemsTable): Promise<void> {
  if (item.state !== 'assigned' || !item.agent_id) return;
  const load = loadCol(item.kind as Kind);
  await own(s.db)
    .updateTable('routing_agents')
    .set({ [load]: sql`${sql.ref(load)} - 1` } as never)
    .where('user_id', '=', item.agent_id)
    .where(sql<boolean>`${sql.ref(load)} > 0`)
    .execute();
}

/**
 * An item is done (conversation resolved, ticket solved): the agent's seat frees and the next
 * waiting item is assigned at once. Returns the assignments that followed, or null when there was nothing to finish.
 */
export async function finish(s: Services, workspaceId: string, id: string): Promise<Assignment[] | null> {
  return withAssigner(s, workspaceId, async (s) => {
    const db = own(s.db);
    const item = await db
      .selectFrom('routing_items')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (!item || item.state === 'done') return null;
    await releaseSeat(s, item);
    await db
      .updateTable('routing_items')
      .set({ state: 'done', done_at: s.clock.now().toISOString(), wait_reason: null, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', item.version)
      .execute();
    return drain(s, workspaceId, undefined, [item.kind as Kind]); // only this kind's seat freed
  }).then(async (made) => {
    await maybeEvaluateSurge(s, workspaceId);
    return made;
  });
}
