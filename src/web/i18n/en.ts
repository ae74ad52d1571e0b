/**
 * English. The messages live in en/, one file per area as in zh-CN/; each section is typed by the
 * Chinese one, and this object by `Messages`, so English has exactly the Chinese keys.
 */
import type { Messages } from './zh-CN.ts';
import { common, errors, forbidden, header, language, loadError, nav, notBuilt, notFound } from './en/common.ts';
import { avatar, login, password, security } from './en/auth.ts';
import { audit, permissions, roles, tokens, users, workspace, workspaces } from './en/settings.ts';
import { tickets } from './en/tickets.ts';
import { sla } from './en/sla.ts';
import { inbox } from './en/inbox.ts';
import { backups } from './en/backups.ts';
import { inboxes } from './en/inboxes.ts';
import { privacy } from './en/privacy.ts';
import { knowledge } from './en/knowledge.ts';
import { customers } from './en/customers.ts';
import { monitoring } from './en/monitoring.ts';
import { incidents } from './en/incidents.ts';
import { incidentConsole } from './en/incident-console.ts';
import { incidentSettings } from './en/incident-settings.ts';
import { routing } from './en/routing.ts';
import { csat } from './en/csat.ts';
import { store } from './en/store.ts';
import { labels } from './en/labels.ts';
import { reports } from './en/reports.ts';

export const en: Messages = {
  customers,
  language,
  nav,
  header,
  common,
  notBuilt,
  forbidden,
  notFound,
  loadError,
  errors,
  login,
  password,
  security,
  avatar,
  roles,
  permissions,
  users,
  workspace,
  workspaces,
  tokens,
  audit,
  tickets,
  sla,
  inbox,
  inboxes,
  privacy,
  backups,
  knowledge,
  monitoring,
  incidents,
  incidentConsole,
  incidentSettings,
  routing,
  csat,
  store,
  labels,
  reports,
};
