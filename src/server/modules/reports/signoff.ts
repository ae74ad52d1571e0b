/** Sign-offs (merchant and vendor, each recorded with the SHA-256 they signed) and the report list. */
import type { ReportListItem, ReportSignoff, ReportTypeName } from '../../../shared/reports-api.ts';
import type { Ctx, Services } from '../../context.ts';
import { conflict, forbidden } from '../../lib/errors.ts';
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
 * Signs a report off for a party: the vendor signs as ops staff (or the installation owner), the
 * merchant as its owner or admin (as the penalty statement's sign-off). Once per party.
 */
export async function signOff(ctx: Ctx, reportId: string, party: 'merchant' | 'vendor'): Promise<ReportSignoff[]> {
  const r = await getReport(ctx, ctx.actor.workspaceId, reportId);
  const vendor = ctx.actor.role === 'ops' || ctx.actor.installationOwner;
  const merchant = ctx.actor.role === 'owner' || ctx.actor.role === 'admin';
  if (party === 'vendor' ? !vendor : !merchant) throw forbidden(`your role cannot sign off for the ${party}`);
  const existing = await own(ctx.db)
    .selectFrom('report_signoffs')
    .select('party')
    .where('report_id', '=', r.id)
    .where('party', '=', party)
    .executeTakeFirst();
  if (existing) throw conflict(`the ${party} has signed this report off already`);
  // The key (report, party) decides between two signatures arriving at once: the second is a 409, not a 500.
  const inserted = await own(ctx.db)
    .insertInto('report_signoffs')
    .values({
      report_id: r.id,
      workspace_id: r.workspace_id,
      party,
      user_id: ctx.actor.userId,
      user_name: ctx.actor.accountName ?? ctx.actor.name,
      sha256: r.sha256,
      at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['report_id', 'party']).doNothing())
    .executeTakeFirst();
  if (!Number(inserted.numInsertedOrUpdatedRows ?? 0))
    throw conflict(`the ${party} has signed this report off already`);
  return (await signoffsOf(ctx, [r.id])).get(r.id) ?? [];
}
