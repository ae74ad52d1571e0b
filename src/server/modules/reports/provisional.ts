/**
 * The current, unfinished period of a report type, as a provisional report: computed from the
 * stored data up to now on every view, never stored, without a hash and not signable. Finished
 * periods are produced and stored as before (service.ts).
 */
import type { Services } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import type { ReportDocument } from './document.ts';
import { loadWorkspaceZone } from './inputs.ts';
import { kindOf, periodContaining, type ReportType } from './periods.ts';
import { computeOffThread, type AuditRunner } from './service.ts';

export type ProvisionalReport = { provisional: true; type: ReportType; periodKey: string; document: ReportDocument };

/** No `npm audit` for a provisional weekly report: it is taken when the week is produced. */
const noAudit: AuditRunner = () =>
  Promise.resolve({ ok: false, reason: 'not run for a provisional report (taken when the week is produced)' });

export async function provisionalReport(
  s: Pick<Services, 'db' | 'clock'> & Partial<Pick<Services, 'config' | 'engine'>>,
  workspaceId: string,
  type: ReportType,
): Promise<ProvisionalReport> {
  const zone = await loadWorkspaceZone(s.db, workspaceId);
  if (!zone) throw notFound('workspace');
  const period = periodContaining(kindOf(type), zone, s.clock.now().getTime());
  const { document } = await computeOffThread(s, workspaceId, type, period.key, {
    provisional: true,
    ...(type === 'weekly' ? { audit: noAudit, previousAdvisories: null } : {}),
  });
  return { provisional: true, type, periodKey: period.key, document };
}
