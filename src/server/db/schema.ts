/** The whole database type: each module owns and declares its own tables. */
import type { AuditTables } from '../modules/audit/schema.ts';
import type { UsersTables } from '../modules/users/schema.ts';
import type { WorkspacesTables } from '../modules/workspaces/schema.ts';
import type { JobsTables } from '../lib/jobs/schema.ts';
import type { InboxesTables } from '../modules/inboxes/schema.ts';
import type { CustomersTables } from '../modules/customers/schema.ts';
import type { ConversationsTables } from '../modules/conversations/schema.ts';
import type { SlaTables } from '../modules/sla/schema.ts';
import type { TicketsTables } from '../modules/tickets/schema.ts';

export type Database = WorkspacesTables &
  UsersTables &
  AuditTables &
  JobsTables &
  InboxesTables &
  CustomersTables &
  ConversationsTables &
  SlaTables &
  TicketsTables;
