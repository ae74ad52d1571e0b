/**
 * Reports module: the contract reports (daily health, weekly inspection, monthly ops, monthly
 * customer-service analysis), each a pure function of stored data, and the customer-service
 * figures engine they share with `kefu report compute`. Definitions: docs/REPORTS.md.
 */
import type { Services } from '../../context.ts';
import type { KefuModule } from '../../module.ts';
import { loadWorkspaceBySlug, loadWorkspaceZone } from './inputs.ts';
import { kindOf, previousPeriod } from './periods.ts';
import { produceReport } from './service.ts';
import { reportRoutes } from './routes.ts';
import { reportJobs, reportMetrics, reportSchedules } from './delivery.ts';
import { reportEvents } from './events.ts';

/**
 * The customer-service figures: `computeCsFigures(input)` (first response, resolution, resolution
 * rate, first-contact resolution, CSAT), `computeCsBreakdown(input, keyOf)` per group,
 * `businessHoursTimes(input, calendarOf)` in working time, `nearestRank` and `percent`.
 */
export {
  computeCsFigures,
  computeCsMembers,
  computeCsBreakdown,
  businessHoursTimes,
  nearestRank,
  percent,
  distribution,
  type CsConversation,
  type CsFigures,
  type CsInput,
  type CsMessage,
  type CsRating,
  type Distribution,
} from './cs-figures.ts';

/** The audit file of `kefu report compute`: `parseCsInput(raw)` and `csFiguresText(figures)`. */
export { parseCsInput, csFiguresText } from './cs-input.ts';

/** Periods of the four report types in a workspace's zone. */
export { reportTypes, parsePeriod, previousPeriod, kindOf, type ReportType, type Period } from './periods.ts';
/** Producing, finding and checking stored reports (their document and SHA-256). */
export { produceReport, findReport, getReport, verifyReport, computeReport, type StoredReport } from './service.ts';
/** Rendering a report document: HTML, PDF, CSV, XLSX, JSON. */
export { formats, contentTypes, type Format } from './formats.ts';
export { render } from './lazy-render.ts';
export type { ReportDocument } from './document.ts';

/** The workspace a CLI run means (by slug; else the only one or the demo workspace). */
export const workspaceIdBySlug = (s: Pick<Services, 'db'>, slug: string | null) => loadWorkspaceBySlug(s.db, slug);

export const reportsModule: KefuModule = {
  name: 'reports',
  tables: ['reports', 'report_signoffs', 'report_schedules'],
  permissions: ['reports.read', 'ops.manage'],
  routes: reportRoutes,
  events: reportEvents,
  jobs: reportJobs,
  schedules: reportSchedules,
  metrics: reportMetrics,
  // The demo shows a monthly CS report and a daily health report at once (the tick would within
  // 15 minutes). With demo data, the demo content produces them after writing its history.
  async seed(s, target) {
    if (!s.config.demoData) await seedDemoReports(s, target.workspaceId);
  },
};

/** The last month's customer-service report and the last day's health report of a demo workspace. */
export async function seedDemoReports(s: Services, workspaceId: string): Promise<void> {
  const zone = (await loadWorkspaceZone(s.db, workspaceId)) ?? 'Asia/Shanghai';
  const now = s.clock.now().getTime();
  for (const type of ['monthly-cs', 'daily'] as const)
    try {
      // In this thread (no config: no worker): the demo's month is small, and the start need not wait for the worker.
      await produceReport(
        { db: s.db, clock: s.clock },
        workspaceId,
        type,
        previousPeriod(kindOf(type), zone, now).key,
        'demo',
      );
    } catch (err) {
      s.log.warn({ err, type }, 'demo report not produced');
    }
}

/** Scheduled production and delivery (e-mail and the notification channels with a signed link). */
export { runTick, deliverReport, lastDue, overdueReports, signedLink } from './delivery.ts';
/** The schedules: each type's time, recipients (default: the owners' and admins' e-mail) and channels. */
export { schedulesOf } from './schedules.ts';
