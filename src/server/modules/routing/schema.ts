import { tablesOf, type Executor } from '../../db/index.ts';

export type RoutingAgentsTable = {
  user_id: string;
  workspace_id: string;
  status: string; // what the agent chose: online | busy | away
  presence: string; // effective: the status while connected (or within the grace period), else offline
  presence_since: string;
  connections: number;
  disconnected_at: string | null;
  capacity_chat: number;
  capacity_ticket: number;
  /** When a supervisor set this agent's own capacities; null: they follow the workspace rule's defaults. */
  capacity_set_at: string | null;
  load_chat: number;
  load_ticket: number;
  skills: string; // JSON string[]
  last_assigned_at: string | null;
  updated_at: string;
  /** The last input the console reported (idle presence). */
  last_input_at: string | null;
  /** 1 while the agent is away because of inactivity (their chosen status returns at the next input). */
  auto_away: number;
};
export type RoutingItemsTable = {
  id: string; // the conversation's (or ticket's) id
  workspace_id: string;
  kind: string; // chat | ticket
  inbox_id: string | null;
  group_id: string | null;
  customer_id: string | null;
  state: string; // queued | assigned | manual (assigned by hand, outside routing's capacity) | done
  priority: number;
  skills: string; // JSON string[]
  arrived_at: string;
  agent_id: string | null;
  assigned_at: string | null;
  first_assigned_at: string | null;
  done_at: string | null;
  wait_reason: string | null;
  version: number;
  /** Who served it before it was reopened, and when that ended (sticky assignment of the reopened item). */
  last_agent_id: string | null;
  last_done_at: string | null;
  /**
   * Left the queue without an agent (migration 0282; `leave.ts`): message | callback | abandoned,
   * and when; cleared when the conversation reopens (listeners). Optional: written only by leave.ts.
   */
  left_as?: string | null;
  left_at?: string | null;
  /** The last time the shopper came back to the waiting conversation (an abandonment check compares). */
  shopper_seen_at?: string | null;
};
export type RoutingRulesTable = { workspace_id: string; inbox_id: string; definition: string; updated_at: string };
export type RoutingSurgeTable = {
  workspace_id: string;
  settings: string; // JSON SurgeSettings
  active: number;
  reason: string | null; // manual | schedule | promotion:<name> | queue
  since: string | null;
  updated_at: string;
};
export type RoutingTables = {
  routing_agents: RoutingAgentsTable;
  routing_items: RoutingItemsTable;
  routing_rules: RoutingRulesTable;
  routing_surge: RoutingSurgeTable;
};

export const own = (e: Executor) => tablesOf<RoutingTables>(e);
