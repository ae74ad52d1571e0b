/**
 * Simplified Chinese: the console's default language and the reference shape for every other language.
 * The messages live in zh-CN/, one file per area of the console; this object puts them back together
 * under the same keys, so `t('…')` keys and the `Messages` type are unchanged.
 */
import { common, errors, forbidden, header, language, loadError, nav, notBuilt, notFound } from './zh-CN/common.ts';
import { avatar, login, password, security } from './zh-CN/auth.ts';
import { audit, permissions, roles, tokens, users, workspace, workspaces } from './zh-CN/settings.ts';
import { tickets } from './zh-CN/tickets.ts';
import { sla } from './zh-CN/sla.ts';
import { inbox } from './zh-CN/inbox.ts';
import { backups } from './zh-CN/backups.ts';
import { inboxes } from './zh-CN/inboxes.ts';
import { privacy } from './zh-CN/privacy.ts';
import { knowledge } from './zh-CN/knowledge.ts';
import { customers } from './zh-CN/customers.ts';
import { monitoring } from './zh-CN/monitoring.ts';
import { incidents } from './zh-CN/incidents.ts';
import { incidentConsole } from './zh-CN/incident-console.ts';
import { incidentSettings } from './zh-CN/incident-settings.ts';
import { routing } from './zh-CN/routing.ts';
import { csat } from './zh-CN/csat.ts';
import { store } from './zh-CN/store.ts';
import { labels } from './zh-CN/labels.ts';
import { reports } from './zh-CN/reports.ts';

export const zhCN = {
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
} as const;

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language's messages must have. */
export type Messages = Widen<typeof zhCN>;
