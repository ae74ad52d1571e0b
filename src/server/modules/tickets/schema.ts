import { tablesOf, type Executor } from '../../db/index.ts';

type Stamps = { created_at: string; updated_at: string };
export type TicketTypesTable = Stamps & {
  id: string;
  workspace_id: string;
  key: string;
  names: string;
  position: number;
  archived: number;
};
export type TicketFieldsTable = Stamps & {
  id: string;
  workspace_id: string;
  key: string;
  label: string;
  type: string;
  options: string;
  required_on_solve: number;
  position: number;
  archived: number;
};
export type TicketCountersTable = { workspace_id: string; last_number: number };
export type TicketsTable = Stamps & {
  id: string;
  workspace_id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  type: string;
  group_id: string | null;
  assignee_id: string | null;
  customer_id: string | null;
  conversation_id: string | null;
  channel: string;
  order_no: string | null;
  tags: string; // JSON string[]
  fields: string; // JSON object
  version: number;
  merged_into_id: string | null;
  sla: string | null; // JSON TicketSla: the policy and calendar copied when the policy applied
  sla_state: string | null; // JSON SlaState as last computed
  next_check_at: string | null; // when the worker must look again (a warning or breach is due)
  next_deadline_at: string | null; // the earliest unfulfilled deadline, for sorting
  first_response_at: string | null;
  solved_at: string | null;
  closed_at: string | null;
  created_by: string | null;
};
export type TicketEventsTable = {
  id: string;
  workspace_id: string;
  ticket_id: string;
  type: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  body: string | null;
  data: string;
  created_at: string;
};
export type TicketViewsTable = Stamps & {
  id: string;
  workspace_id: string;
  user_id: string | null;
  name: string;
  query: string;
};
export type MacrosTable = Stamps & { id: string; workspace_id: string; name: string; actions: string };
export type TicketsTables = {
  ticket_types: TicketTypesTable;
  ticket_fields: TicketFieldsTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_views: TicketViewsTable;
  macros: MacrosTable;
};

export const own = (e: Executor) => tablesOf<TicketsTables>(e);
