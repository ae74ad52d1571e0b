import type { GeneratedAlways } from 'kysely';
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
  report_day: string; // YYYY-MM-DD of creation in the workspace's time zone: the day reports count it on
  priority_rank: number; // generated: urgent 3 … low 0 (sort key)
  deadline_sort: string; // generated: next_deadline_at, or a date after every real one (sort key)
};
/** The columns a write may set (the generated sort keys are the database's). */
export type TicketChange = Partial<Omit<TicketsTable, 'priority_rank' | 'deadline_sort'>>;
/** The tickets table as the database sees it: the sort keys are generated, never written. */
type TicketsDbTable = Omit<TicketsTable, 'priority_rank' | 'deadline_sort'> & {
  priority_rank: GeneratedAlways<number>;
  deadline_sort: GeneratedAlways<string>;
};
/** A ticket's tags, one row each (the `tags` JSON column stays the ticket's shape; this is the index). */
export type TicketTagsTable = { ticket_id: string; workspace_id: string; tag: string };
/** Tickets by status (merged ones excluded), kept by database triggers on `tickets`. */
export type TicketStatusCountsTable = { workspace_id: string; status: string; n: number };
/** A ticket's searchable text: its subject, then every text of its timeline (full-text indexed). */
export type TicketSearchTable = { ticket_id: string; workspace_id: string; body: string };
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
  tickets: TicketsDbTable;
  ticket_tags: TicketTagsTable;
  ticket_status_counts: TicketStatusCountsTable;
  ticket_search: TicketSearchTable;
  ticket_events: TicketEventsTable;
  ticket_views: TicketViewsTable;
  macros: MacrosTable;
};

export const own = (e: Executor) => tablesOf<TicketsTables>(e);
