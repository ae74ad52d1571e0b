/**
 * The whole database type, composed of each module's own tables. Only infrastructure that reads
 * across modules may use it (tests, and the reports module later); modules use their own view.
 */
import type { AuditTables } from '../modules/audit/schema.ts';
import type { BotTables } from '../modules/bot/schema.ts';
import type { BackupsTables } from '../modules/backups/schema.ts';
import type { ConversationsTables } from '../modules/conversations/schema.ts';
import type { CsatTables } from '../modules/csat/schema.ts';
import type { CustomersTables } from '../modules/customers/schema.ts';
import type { InboxesTables } from '../modules/inboxes/schema.ts';
import type { MonitoringTables } from '../modules/monitoring/schema.ts';
import type { KnowledgeTables } from '../modules/knowledge/schema.ts';
import type { IncidentsTables } from '../modules/incidents/schema.ts';
import type { NotificationsTables } from '../modules/notifications/schema.ts';
import type { PrivacyTables } from '../modules/privacy/schema.ts';
import type { ReportsTables } from '../modules/reports/schema.ts';
import type { RoutingTables } from '../modules/routing/schema.ts';
import type { SlaTables } from '../modules/sla/schema.ts';
import type { StoreTables } from '../modules/store/schema.ts';
import type { TeamsTables } from '../modules/teams/schema.ts';
import type { TicketsTables } from '../modules/tickets/schema.ts';
import type { UsersTables } from '../modules/users/schema.ts';
import type { WorkspacesTables } from '../modules/workspaces/schema.ts';
import type { EventsTables } from '../lib/events/schema.ts';
import type { JobsTables } from '../lib/jobs/schema.ts';
import type { OpsRecordsTables } from '../lib/ops-records/schema.ts';

export type Database = WorkspacesTables &
  IncidentsTables &
  UsersTables &
  AuditTables &
  JobsTables &
  EventsTables &
  InboxesTables &
  CustomersTables &
  ConversationsTables &
  SlaTables &
  TeamsTables &
  TicketsTables &
  NotificationsTables &
  MonitoringTables &
  PrivacyTables &
  KnowledgeTables &
  StoreTables &
  BotTables &
  BackupsTables &
  RoutingTables &
  CsatTables &
  ReportsTables &
  OpsRecordsTables;
