/** Sign-offs (merchant and vendor, each recorded with the SHA-256 they signed) and the report list. */
import type { ReportListItem, ReportSignoff, ReportTypeName } from '../../../shared/reports-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { conflict, forbidden } from '../../lib/errors.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { getReport } from './service.ts';
import { own } from './schema.ts';

export async function signoffsOf(s: Pick<Services, 'db'>, reportIds: string[]): Promise<Map<string, ReportSignoff[]>> {
  const out = new Map<string, ReportSignoff[]>();
  if (!reportIds.length) return out;
  const rows = await own(s.db)
    .selectFrom('report_signoffs')
    .selectAll()
    .where('report_id', 'in', reportIds)
    .orderBy('at')
    .execute();
  for (const r of rows)
    out.set(r.report_id, [
      ...(out.get(r.report_id) ?? []),
      { party: r.party as ReportSignoff['party'], userName: r.user_name, at: r.at, sha256: r.sha256 },
    ]);
  return out;
}

export async function listReports(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  type: string | undefined,
  limit: number,
): Promise<ReportListItem[]> {
  let q = own(s.db)
    .selectFrom('reports')
    .select(['id', 'type', 'period_key', 'period_start', 'period_end', 'produced_at', 'sha256', 'document'])
    .where('workspace_id', '=', workspaceId);
  if (type) q = q.where('type', '=', type);
  const rows = await q.orderBy('period_start', 'desc').orderBy('type').limit(limit).execute();
  const signed = await signoffsOf(
    s,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type as ReportTypeName,
    periodKey: r.period_key,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    producedAt: r.produced_at,
    sha256: r.sha256,
    summary: (JSON.parse(r.document) as { summary: Record<string, number | null> }).summary,
    signoffs: signed.get(r.id) ?? [],
  }));
}

/**
 * The vendor's side: the installation's ops (its home workspace's owner, admins and ops
 * engineers, `installation.ops`) and its owner — as for the penalty statement. A merchant
 * workspace's own ops engineers are the merchant's staff, not the vendor.
 */
export const isVendor = (actor: Ctx['actor']): boolean =>
  actor.installationOwner || actor.permissions.includes('installation.ops');

/**
 * The workspace whose reports a request reads or signs: the actor's own, or a merchant workspace
 * named by the vendor (403 for anyone else, 404 when it does not exist).
 */
export async function reportWorkspace(ctx: Ctx, requested: string | undefined): Promise<string> {
  if (!requested || requested === ctx.actor.workspaceId) return ctx.actor.workspaceId;
  if (!isVendor(ctx.actor)) throw forbidden("only the installation's ops may open another workspace's reports");
  return (await getWorkspace(ctx, requested)).id;
}

/**
 * Signs a report of workspace `ws` off for a party, once per party, recorded with who, when and
 * the SHA-256 signed, and in the workspace's audit log (`report.signed`). The vendor (installation
 * ops) signs any workspace's report; the merchant (its owner or admin, not the installation owner)
 * only its own.
 */
export async function signOff(
  ctx: Ctx,
  ws: string,
  reportId: string,
  party: 'merchant' | 'vendor',
): Promise<ReportSignoff[]> {
  const a = ctx.actor;
  const merchant = ws === a.workspaceId && (a.role === 'owner' || a.role === 'admin') && !a.installationOwner;
  if (party === 'vendor' ? !isVendor(a) : !merchant) throw forbidden(`your role cannot sign off for the ${party}`);
  const r = await getReport(ctx, ws, reportId);
  await unitOfWork(ctx, async (ctx) => {
    // The key (report, party) decides between two signatures arriving at once: the second is a 409, not a 500.
    const inserted = await own(ctx.db)
      .insertInto('report_signoffs')
      .values({
        report_id: r.id,
        workspace_id: r.workspace_id,
        party,
        user_id: a.userId,
        user_name: a.accountName ?? a.name,
        sha256: r.sha256,
        at: ctx.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(['report_id', 'party']).doNothing())
      .executeTakeFirst();
    if (!Number(inserted.numInsertedOrUpdatedRows ?? 0))
      throw conflict(`the ${party} has signed this report off already`);
    await publish(ctx, 'report.signed', r.workspace_id, 'report', r.id, {
      type: r.type,
      periodKey: r.period_key,
      party,
      sha256: r.sha256,
    });
  });
  return (await signoffsOf(ctx, [r.id])).get(r.id) ?? [];
}
