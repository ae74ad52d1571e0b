/**
 * Components: the parts of the service a merchant can name when something fails (the web chat
 * entry point, the console, tickets, the database …). Probes and alert rules point at them with
 * the `component` label; each names the workspaces that depend on it (null: all of them), which
 * is whom an alert affects (incidents) and what a workspace's health and status pages show.
 */
import type { Executor } from '../../db/index.ts';
import { listWorkspaces } from '../workspaces/index.ts';
import { own } from './schema.ts';

export type Component = {
  name: string;
  /** zh-CN title (the default language) and English title. */
  title: string;
  titleEn: string;
  description: string;
  builtIn: boolean;
  /** The workspaces that depend on it; null = every workspace of the installation. */
  workspaceIds: string[] | null;
};

type Db = { db: Executor };

/** Every installation has these; their scope can be narrowed and more can be added (ops config). */
export const builtInComponents: readonly Omit<Component, 'workspaceIds'>[] = [
  {
    name: 'web_chat',
    title: '网页在线客服',
    titleEn: 'Web chat',
    description: 'widget + realtime gateway',
    builtIn: true,
  },
  {
    name: 'console',
    title: '客服工作台',
    titleEn: 'Agent console',
    description: 'the console and its API',
    builtIn: true,
  },
  { name: 'tickets', title: '工单', titleEn: 'Tickets', description: 'ticket flow and SLA clocks', builtIn: true },
  { name: 'api', title: '开放接口', titleEn: 'Public API', description: 'REST API for integrations', builtIn: true },
  { name: 'database', title: '数据库', titleEn: 'Database', description: 'SQLite or PostgreSQL', builtIn: true },
  { name: 'jobs', title: '后台任务', titleEn: 'Background jobs', description: 'queue, scheduler', builtIn: true },
  { name: 'email', title: '邮件通知', titleEn: 'E-mail', description: 'outgoing SMTP', builtIn: true },
  { name: 'bot', title: '智能机器人', titleEn: 'Bot', description: 'automatic answers', builtIn: true },
];

export const componentNamePattern = /^[a-z][a-z0-9_]{0,62}$/;

/** All components, built-in first, then the configured ones in their order. */
export async function listComponents(s: Db): Promise<Component[]> {
  const rows = await own(s.db)
    .selectFrom('monitoring_components')
    .selectAll()
    .orderBy('position')
    .orderBy('name')
    .execute();
  const byName = new Map(rows.map((r) => [r.name, r]));
  const scope = (json: string | null) => (json === null ? null : (JSON.parse(json) as string[]));
  const out: Component[] = builtInComponents.map((c) => {
    const r = byName.get(c.name);
    return r
      ? { ...c, title: r.title || c.title, titleEn: r.title_en || c.titleEn, workspaceIds: scope(r.workspaces) }
      : { ...c, workspaceIds: null };
  });
  for (const r of rows)
    if (!builtInComponents.some((c) => c.name === r.name))
      out.push({
        name: r.name,
        title: r.title,
        titleEn: r.title_en,
        description: r.description,
        builtIn: false,
        workspaceIds: scope(r.workspaces),
      });
  return out;
}

/** The ids of the workspaces that depend on a component (all workspaces for a null scope; [] when unknown). */
export async function workspacesDependingOn(s: Db, component: string): Promise<string[]> {
  const c = (await listComponents(s)).find((x) => x.name === component);
  if (!c) return [];
  if (c.workspaceIds) return c.workspaceIds;
  return (await listWorkspaces(s)).map((w) => w.id);
}

/** The components a workspace depends on (its health and status pages). */
export async function componentsOfWorkspace(s: Db, workspaceId: string): Promise<Component[]> {
  return (await listComponents(s)).filter((c) => !c.workspaceIds || c.workspaceIds.includes(workspaceId));
}
