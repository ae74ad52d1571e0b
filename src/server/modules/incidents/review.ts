/**
 * Post-incident review: impact, root cause (category and text), action items with owners and
 * due dates; the timeline comes from the incident's own (events, not retyped). Open action items
 * and failed notifications are listed on the ops overview with MTTA/MTTR.
 */
import { z } from 'zod';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { badRequest, forbidden } from '../../lib/errors.ts';
import { activeMembers, assertActiveMember } from '../users/index.ts';
import { listWorkspaces } from '../workspaces/index.ts';
import { contractOf } from './contracts.ts';
import { rootCauseCategories } from '../../../shared/incidents-api.ts';
import { openStates } from './model.ts';
import { incidentDetail } from './queries.ts';
import { own } from './schema.ts';
import { incidentStats } from './stats.ts';

export const ReviewBody = z.strictObject({
  impact: z.string().trim().max(10_000).default(''),
  rootCauseCategory: z.enum(rootCauseCategories).default('unknown'),
  rootCause: z.string().trim().max(10_000).default(''),
  actionItems: z
    .array(
      z.strictObject({
        title: z.string().trim().min(1).max(300),
        ownerId: z.string().min(1).max(64),
        due: z.iso.date(),
        done: z.boolean().default(false),
      }),
    )
    .max(50)
    .default([]),
});
export type Review = z.output<typeof ReviewBody>;

export async function reviewOf(s: Pick<Services, 'db' | 'clock'>, workspaceId: string, id: string) {
  const detail = await incidentDetail(s, workspaceId, id);
  const row = await own(s.db)
    .selectFrom('incident_reviews')
    .selectAll()
    .where('incident_id', '=', id)
    .executeTakeFirst();
  const review: Review | null = row
    ? {
        impact: row.impact,
        rootCauseCategory: row.root_cause_category as Review['rootCauseCategory'],
        rootCause: row.root_cause,
        actionItems: JSON.parse(row.action_items) as Review['actionItems'],
      }
    : null;
  const end = detail.resolvedAt ?? detail.now;
  return {
    incident: {
      id: detail.id,
      number: detail.number,
      title: detail.title,
      severity: detail.severity,
      state: detail.state,
    },
    review,
    minutesToAcknowledge: detail.acknowledgedAt
      ? (Date.parse(detail.acknowledgedAt) - Date.parse(detail.declaredAt)) / 60_000
      : null,
    minutesToResolve: detail.resolvedAt ? (Date.parse(end) - Date.parse(detail.declaredAt)) / 60_000 : null,
    timeline: detail.timeline,
  };
}

export async function saveReview(ctx: Ctx, id: string, input: Review) {
  const ws = ctx.actor.workspaceId;
  const detail = await incidentDetail(ctx, ws, id);
  if (!detail.managed) throw forbidden('this incident is managed by the workspace that declared it');
  for (const a of input.actionItems) await assertActiveMember(ctx, ws, a.ownerId);
  const now = ctx.clock.now().toISOString();
  const values = {
    impact: input.impact,
    root_cause_category: input.rootCauseCategory,
    root_cause: input.rootCause,
    action_items: JSON.stringify(input.actionItems),
    updated_by: ctx.actor.userId,
    updated_at: now,
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('incident_reviews')
      .values({ incident_id: id, workspace_id: ws, ...values })
      .onConflict((oc) => oc.column('incident_id').doUpdateSet(values))
      .execute();
    await publish(ctx, 'incident.reviewed', ws, 'incident', id, {
      number: detail.number,
      title: detail.title,
      actionItems: input.actionItems.length,
    });
  });
  return reviewOf(ctx, ws, id);
}

/**
 * The ops overview: open incidents, open action items, failed notifications, MTTA/MTTR by month and
 * severity — of the incidents the workspace declared or is affected by; with `only`, of those
 * affecting that workspace (one of the workspaces the viewer's incidents name).
 */
export async function overview(s: Pick<Services, 'db' | 'clock'>, workspaceId: string, only?: string) {
  const db = own(s.db);
  const clocks = await db
    .selectFrom('incident_clocks')
    .innerJoin('incidents', 'incidents.id', 'incident_clocks.incident_id')
    .select(['incident_clocks.incident_id', 'incident_clocks.workspace_id', 'incidents.workspace_id as manager'])
    .where((eb) =>
      eb.or([eb('incidents.workspace_id', '=', workspaceId), eb('incident_clocks.workspace_id', '=', workspaceId)]),
    )
    .execute();
  // Another merchant's name shows only on incidents this workspace manages.
  const named = new Set([workspaceId, ...clocks.filter((c) => c.manager === workspaceId).map((c) => c.workspace_id)]);
  if (only && !named.has(only)) throw badRequest('workspaceId: not a workspace of your incidents');
  const ids = [
    ...new Set(
      clocks
        .filter((c) => !only || (c.workspace_id === only && (c.manager === workspaceId || only === workspaceId)))
        .map((c) => c.incident_id),
    ),
  ];
  const incidents = ids.length
    ? await db
        .selectFrom('incidents')
        .select([
          'id',
          'number',
          'title',
          'severity',
          'state',
          'mode',
          'workspace_id',
          'declared_at',
          'acknowledged_at',
          'resolved_at',
        ])
        .where('id', 'in', ids)
        .execute()
    : [];
  const managed = incidents.filter((i) => i.workspace_id === workspaceId).map((i) => i.id);
  const reviews = managed.length
    ? await db
        .selectFrom('incident_reviews')
        .select(['incident_id', 'action_items'])
        .where('incident_id', 'in', managed)
        .execute()
    : [];
  const failed = managed.length
    ? await db
        .selectFrom('incident_deliveries')
        .innerJoin('incident_channels', 'incident_channels.id', 'incident_deliveries.channel_id')
        .select([
          'incident_deliveries.incident_id',
          'incident_channels.name',
          'incident_deliveries.last_error',
          'incident_deliveries.updated_at',
        ])
        .where('incident_deliveries.incident_id', 'in', managed)
        .where('incident_deliveries.status', '=', 'failed')
        .orderBy('incident_deliveries.updated_at', 'desc')
        .limit(50)
        .execute()
    : [];
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const items = reviews.flatMap((r) =>
    (JSON.parse(r.action_items) as Review['actionItems'])
      .filter((a) => !a.done)
      .map((a) => ({ ...a, incidentId: r.incident_id, incidentNumber: byId.get(r.incident_id)?.number ?? null })),
  );
  const owners = await activeMembers(
    s,
    workspaceId,
    items.map((a) => a.ownerId),
  );
  const { contract } = await contractOf(s, workspaceId);
  const names = new Map((await listWorkspaces(s)).map((w) => [w.id, w.name]));
  return {
    workspaces: [...named].map((id) => ({ id, name: names.get(id) ?? id })),
    open: incidents.filter((i) => (openStates as readonly string[]).includes(i.state)).length,
    actionItems: items
      .map((a) => ({ ...a, ownerName: owners.find((o) => o.id === a.ownerId)?.name ?? null }))
      .sort((a, b) => a.due.localeCompare(b.due)),
    failedNotifications: failed.map((f) => ({
      incidentId: f.incident_id,
      incidentNumber: byId.get(f.incident_id)?.number ?? null,
      channel: f.name,
      error: f.last_error,
      at: f.updated_at,
    })),
    stats: incidentStats(
      incidents.map((i) => ({
        severity: i.severity,
        mode: i.mode,
        state: i.state,
        declaredAt: Date.parse(i.declared_at),
        acknowledgedAt: i.acknowledged_at ? Date.parse(i.acknowledged_at) : null,
        resolvedAt: i.resolved_at ? Date.parse(i.resolved_at) : null,
      })),
      contract.timezone,
    ),
  };
}
