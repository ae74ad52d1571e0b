/**
 * The pure assignment engine: given the waiting items in queue order and the agents with their
 * presence, capacity, load and skills, which item goes to whom, and why the others wait. No I/O:
 * the service runs it under the workspace's assigner lock and writes its answer with
 * compare-and-set guards (README.md). Property tests: policy.property.test.ts.
 */

export const strategies = ['least_busy', 'round_robin', 'skill_match', 'sticky'] as const;
export type Strategy = (typeof strategies)[number];
export const presences = ['online', 'busy', 'away', 'offline'] as const;
export type Presence = (typeof presences)[number];
export type Kind = 'chat' | 'ticket';

export type AgentView = {
  id: string;
  presence: Presence;
  capacity: number;
  load: number;
  skills: readonly string[];
  groups: readonly string[];
  /** ISO time of the last assignment (round-robin takes the longest idle first). */
  lastAssignedAt: string | null;
};

export type ItemView = {
  id: string;
  skills: readonly string[];
  groupId: string | null;
  /** The agent who served this shopper last within the sticky window, if any. */
  stickyAgentId: string | null;
};

/** Why an item still waits: every able agent is full, or nobody at all has what it needs. */
export type WaitReason = 'capacity' | 'missing_skill' | 'empty_group';

export type Plan = {
  assignments: { itemId: string; agentId: string }[];
  waiting: Map<string, WaitReason>;
};

/** Whether the agent could ever take the item (skills and group), ignoring presence and room. */
export function qualifies(a: AgentView, item: ItemView): boolean {
  if (item.groupId && !a.groups.includes(item.groupId)) return false;
  return item.skills.every((sk) => a.skills.includes(sk));
}

const hasRoom = (a: AgentView) => a.presence === 'online' && a.load < a.capacity;
const share = (a: AgentView) => a.load / a.capacity;
const idleKey = (a: AgentView) => a.lastAssignedAt ?? '';

/** Ties are broken by who waited longest since their last assignment, then by id (deterministic). */
function byIdle(a: AgentView, b: AgentView): number {
  const d = idleKey(a).localeCompare(idleKey(b));
  return d !== 0 ? d : a.id.localeCompare(b.id);
}

/** The best agent with room for the item under a strategy, or null. */
export function pickAgent(strategy: Strategy, item: ItemView, agents: readonly AgentView[]): AgentView | null {
  const able = agents.filter((a) => hasRoom(a) && qualifies(a, item));
  if (!able.length) return null;
  if (strategy === 'sticky' && item.stickyAgentId) {
    const last = able.find((a) => a.id === item.stickyAgentId);
    if (last) return last;
  }
  const sorted = [...able];
  if (strategy === 'round_robin') sorted.sort(byIdle);
  else if (strategy === 'skill_match')
    // Specialists first (fewest skills beyond what the item needs), then the least busy.
    sorted.sort((a, b) => a.skills.length - b.skills.length || share(a) - share(b) || byIdle(a, b));
  else sorted.sort((a, b) => share(a) - share(b) || byIdle(a, b));
  return sorted[0];
}

/**
 * Walks the queue in order; each item takes the best agent with room, whose load then counts.
 * An item nobody can take now is skipped (it keeps its place), so one rare skill never blocks the
 * queue behind it. `strategyOf` gives the policy of the item's inbox.
 */
export function plan(
  items: readonly ItemView[],
  agents: readonly AgentView[],
  strategyOf: (item: ItemView) => Strategy,
  now: string,
): Plan {
  const live = agents.map((a) => ({ ...a }));
  const out: Plan = { assignments: [], waiting: new Map() };
  // Once every seat is taken the rest of the queue only needs its reasons (no agent search each).
  let room = live.filter(hasRoom).length;
  for (const item of items) {
    const agent = room > 0 ? pickAgent(strategyOf(item), item, live) : null;
    if (agent) {
      agent.load += 1;
      if (!hasRoom(agent)) room--;
      // Equal timestamps within one plan: a counter suffix keeps round-robin moving.
      agent.lastAssignedAt = `${now}#${String(out.assignments.length).padStart(6, '0')}`;
      out.assignments.push({ itemId: item.id, agentId: agent.id });
      continue;
    }
    out.waiting.set(item.id, waitReason(item, live));
  }
  return out;
}

export function waitReason(item: ItemView, agents: readonly AgentView[]): WaitReason {
  if (item.groupId && !agents.some((a) => a.groups.includes(item.groupId!))) return 'empty_group';
  return agents.some((a) => qualifies(a, item)) ? 'capacity' : 'missing_skill';
}

/**
 * Estimated wait in seconds for the item at `position` (1 = next), from the recent handling rate
 * (items finished per second over the last window); null when nothing was finished recently.
 */
export function estimatedWaitSeconds(position: number, finishedInWindow: number, windowSeconds: number): number | null {
  if (position <= 0) return 0;
  if (finishedInWindow <= 0 || windowSeconds <= 0) return null;
  return Math.ceil(position / (finishedInWindow / windowSeconds));
}

/** Priority from what routing knows at arrival: the customer's tier and the rule's boosts. */
export function priorityOf(tier: string | null, boosts: Readonly<Record<string, number>>): number {
  return tier ? (boosts[tier] ?? 0) : 0;
}
