/**
 * What the console's incident forms need beyond the incidents themselves: the declaration form's
 * choices (components, the workspaces the actor may name, each contract's severity targets now
 * and in a promotion), and the merchant's "report a problem" page (the contract's support line,
 * answered within 30 minutes: the report is the installation's incident, with the reporter's
 * workspace affected, so the vendor sees it beside the alerts and the merchant reads its clock).
 */
import type { z } from 'zod';
import type {
  ContractDefinitions,
  DeclareOptions,
  IncidentSeverity,
  IncidentStateName,
  ReportedProblems,
  ReportProblemBody,
  SeverityTargets,
} from '../../../shared/incidents-api.ts';
import type { Ctx, Services } from '../../context.ts';
import { listComponents } from '../monitoring/index.ts';
import { homeWorkspaceId } from '../users/index.ts';
import { getWorkspace, listWorkspaces } from '../workspaces/index.ts';
import { contractOf } from './contracts.ts';
import { severities, targetsAt, type Contract } from './penalty/index.ts';
import { own } from './schema.ts';
import { declareIncident, mayNameOtherWorkspaces, supportLineMinutes } from './service.ts';

const window = (p: { name: string; start: number; end: number } | undefined) =>
  p ? { name: p.name, start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString() } : null;

/** A contract's severity targets now, outside and inside a promotion window, and the window now or next. */
export function definitionsOf(workspaceId: string, configured: boolean, c: Contract, now: number): ContractDefinitions {
  const table = (f: (sev: IncidentSeverity) => { respond: number; resolve: number }) =>
    Object.fromEntries(severities.map((sev) => [sev, f(sev)])) as SeverityTargets;
  const promotion: ContractDefinitions['promotion'] = {};
  for (const sev of severities) {
    const t = c.promotionSeverities[sev];
    if (t) promotion[sev] = t;
  }
  const upcoming = [...c.promotions].sort((a, b) => a.start - b.start);
  return {
    workspaceId,
    configured,
    now: table((sev) => targetsAt(c, sev, now).targets),
    base: table((sev) => c.severities[sev]),
    promotion,
    activePromotion: window(upcoming.find((p) => now >= p.start && now < p.end)),
    nextPromotion: window(upcoming.find((p) => p.start > now)),
  };
}

/** The declaration form's choices for the actor. */
export async function declareOptions(ctx: Ctx): Promise<DeclareOptions> {
  const mine = ctx.actor.workspaceId;
  const canNameOthers = mayNameOtherWorkspaces(ctx.actor);
  const all = canNameOthers ? await listWorkspaces(ctx) : [await getWorkspace(ctx, mine)];
  const ids = all.map((w) => w.id);
  const components = (await listComponents(ctx)).map((c) => ({
    name: c.name,
    title: c.title,
    titleEn: c.titleEn,
    // The workspaces that depend on it, of those the actor may name (the default affected set).
    workspaceIds: c.workspaceIds ? c.workspaceIds.filter((w) => ids.includes(w)) : ids,
  }));
  const now = ctx.clock.now().getTime();
  const contracts: ContractDefinitions[] = [];
  for (const w of ids) {
    const c = await contractOf(ctx, w);
    contracts.push(definitionsOf(w, c.configured, c.contract, now));
  }
  return { canNameOthers, workspaces: all.map((w) => ({ id: w.id, name: w.name })), components, contracts };
}

/**
 * A merchant's report: declared in the installation's home workspace (the vendor manages it)
 * with the reporter's workspace affected; its respond target is the support line's 30 minutes.
 */
export async function reportProblem(ctx: Ctx, input: z.output<typeof ReportProblemBody>) {
  const { contact, ...body } = input;
  const home = (await homeWorkspaceId(ctx)) ?? ctx.actor.workspaceId;
  return declareIncident(ctx, home, {
    ...body,
    description: contact ? `${body.description}\n\n${contact}` : body.description,
    mode: 'real',
    source: 'merchant',
    reportedBy: ctx.actor.userId,
    workspaceIds: [ctx.actor.workspaceId],
  });
}

/** The problems the workspace's staff reported (newest first), with the support line's clock and the public updates. */
export async function reportedProblems(
  s: Pick<Services, 'db' | 'clock'>,
  workspaceId: string,
  limit = 50,
): Promise<ReportedProblems> {
  const db = own(s.db);
  const rows = await db
    .selectFrom('incidents')
    .innerJoin('incident_clocks', 'incident_clocks.incident_id', 'incidents.id')
    .where('incident_clocks.workspace_id', '=', workspaceId)
    .where('incidents.source', '=', 'merchant')
    .select([
      'incidents.id',
      'incidents.number',
      'incidents.title',
      'incidents.description',
      'incidents.severity',
      'incidents.state',
      'incidents.declared_at',
      'incidents.acknowledged_at',
      'incidents.resolved_at',
      'incident_clocks.respond_by',
    ])
    .orderBy('incidents.declared_at', 'desc')
    .orderBy('incidents.id', 'desc')
    .limit(limit)
    .execute();
  const ids = rows.map((r) => r.id);
  const entries = ids.length
    ? await db
        .selectFrom('incident_timeline')
        .select(['incident_id', 'type', 'actor_name', 'data', 'at', 'id'])
        .where('incident_id', 'in', ids)
        .where((eb) => eb.or([eb('type', '=', 'declared'), eb.and([eb('type', '=', 'note'), eb('public', '=', 1)])]))
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .execute()
    : [];
  const { settings } = await contractOf(s, workspaceId);
  return {
    supportLine: { phone: settings.supportLine?.phone ?? null, email: settings.supportLine?.email ?? null },
    answerMinutes: supportLineMinutes,
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      description: r.description,
      severity: r.severity as IncidentSeverity,
      state: r.state as IncidentStateName,
      reportedBy: entries.find((e) => e.incident_id === r.id && e.type === 'declared')?.actor_name ?? null,
      declaredAt: r.declared_at,
      respondBy: r.respond_by,
      acknowledgedAt: r.acknowledged_at,
      resolvedAt: r.resolved_at,
      updates: entries
        .filter((e) => e.incident_id === r.id && e.type === 'note')
        .map((e) => ({ at: e.at, body: String((JSON.parse(e.data) as { body?: unknown }).body ?? '') })),
    })),
  };
}
