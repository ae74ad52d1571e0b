/**
 * Every module, in dependency order (a module comes after those it calls). The app, the worker,
 * the scheduler, the event dispatcher and the demo seed iterate this list: adding a module is
 * one line here.
 */
import type { KefuModule } from '../module.ts';
import { auditModule } from './audit/index.ts';
import { botModule } from './bot/index.ts';
import { backupsModule } from './backups/index.ts';
import { csatModule } from './csat/index.ts';
import { conversationsModule } from './conversations/index.ts';
import { customerMergeModule } from './customer-merge/index.ts';
import { customersModule } from './customers/index.ts';
import { inboxesModule } from './inboxes/index.ts';
import { monitoringModule } from './monitoring/index.ts';
import { knowledgeModule } from './knowledge/index.ts';
import { incidentsModule } from './incidents/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { privacyModule } from './privacy/index.ts';
import { reportsModule } from './reports/index.ts';
import { routingModule } from './routing/index.ts';
import { slaModule } from './sla/index.ts';
import { storeModule } from './store/index.ts';
import { teamsModule } from './teams/index.ts';
import { ticketsModule } from './tickets/index.ts';
import { usersModule } from './users/index.ts';
import { workspacesModule } from './workspaces/index.ts';

export const modules: readonly KefuModule[] = [
  workspacesModule,
  usersModule,
  auditModule,
  inboxesModule,
  customersModule,
  conversationsModule,
  slaModule,
  teamsModule,
  ticketsModule,
  notificationsModule,
  monitoringModule,
  incidentsModule,
  knowledgeModule,
  storeModule,
  botModule,
  routingModule,
  csatModule,
  backupsModule,
  privacyModule,
  customerMergeModule,
  reportsModule,
];
