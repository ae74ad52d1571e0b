/**
 * The figures monitoring reads from the SLA module, registered on the Prometheus registry (the one
 * small interface between modules and monitoring: this module never imports `monitoring`):
 *
 * - `kefu_sla_scan_last_completed_timestamp_seconds{scanner}`: when the scanner (`tickets`,
 *   `incidents`: the jobs worker's `tickets.sla_check`, `incidents.sla_check`) last completed a scan, from
 *   the `sla_scans` row the node that ran it wrote, so every node reports the same.
 * - `kefu_sla_scan_age_seconds{scanner}`: seconds since then (a stuck scanner shows as growth).
 * - `kefu_sla_calendar_open{workspace}`: 1 while any of the workspace's SLA calendars is in
 *   working hours, else 0 (a workspace with no calendar works 7×24). The built-in rule
 *   `TicketsNotFlowing` fires only while it is 1 somewhere.
 * - `kefu_sla_calendar_holidays_known_until_seconds{workspace}`: for a workspace whose calendars use
 *   mainland China's holidays (`"holidays": "CN"`), when the arrangement Kefu knows ends (the end of
 *   the last year the `chinese-days` data covers, Beijing time). Past it, holidays count as working
 *   days and the SLA clocks run through them; the built-in rule `HolidayDataEnding` warns 45 days
 *   ahead (the State Council publishes the next year's arrangement in November or December).
 */
import { Gauge } from 'prom-client';
import type { Services } from '../../context.ts';
import { cnDataYears, isBusinessTime, validateCalendar, type Calendar } from '../../lib/time/index.ts';
import { listWorkspaces } from '../workspaces/index.ts';
import { own } from './schema.ts';

export type SlaScanner = 'tickets' | 'incidents';

/** Records that `scanner` completed a scan now (call after the scan, outside its transactions). */
export async function recordScan(s: Pick<Services, 'db' | 'clock'>, scanner: SlaScanner, checked: number) {
  const row = { scanner, last_completed_at: s.clock.now().toISOString(), checked };
  await own(s.db)
    .insertInto('sla_scans')
    .values(row)
    .onConflict((oc) => oc.column('scanner').doUpdateSet({ last_completed_at: row.last_completed_at, checked }))
    .execute();
}

/** Every workspace (by slug) with its calendars as the engine reads them (null: one it cannot read). */
async function workspaceCalendars(
  s: Pick<Services, 'db'>,
): Promise<{ slug: string; calendars: (Calendar | null)[] }[]> {
  const rows = await own(s.db).selectFrom('calendars').select(['workspace_id', 'definition']).execute();
  const byWorkspace = new Map<string, (Calendar | null)[]>();
  for (const r of rows) {
    const v = validateCalendar(JSON.parse(r.definition));
    byWorkspace.set(r.workspace_id, [...(byWorkspace.get(r.workspace_id) ?? []), v.ok ? v.value : null]);
  }
  return (await listWorkspaces(s)).map((w) => ({ slug: w.slug, calendars: byWorkspace.get(w.id) ?? [] }));
}

/** Each workspace (by slug) and whether it is in working hours at `now` by its calendars. */
export async function workingHours(s: Pick<Services, 'db'>, now: Date): Promise<Map<string, boolean>> {
  // No calendar: 7×24; an unreadable calendar never hides an alert.
  return new Map(
    (await workspaceCalendars(s)).map(({ slug, calendars }) => [
      slug,
      !calendars.length || calendars.some((c) => !c || isBusinessTime(c, now)),
    ]),
  );
}

/** The workspaces (by slug) with a calendar that uses mainland China's holidays. */
async function cnHolidayWorkspaces(s: Pick<Services, 'db'>): Promise<string[]> {
  return (await workspaceCalendars(s))
    .filter(({ calendars }) => calendars.some((c) => c?.holidays === 'CN'))
    .map(({ slug }) => slug);
}

/** The end of the last year of mainland China's arrangement Kefu knows (Unix seconds, Beijing midnight). */
const cnHolidaysKnownUntil = () => Date.parse(`${cnDataYears.last + 1}-01-01T00:00:00+08:00`) / 1000;

export function registerSlaMetrics(s: Services): void {
  const r = s.metrics;
  if (r.getSingleMetric('kefu_sla_scan_last_completed_timestamp_seconds')) return;
  const scans = () => own(s.db).selectFrom('sla_scans').select(['scanner', 'last_completed_at']).execute();
  new Gauge({
    name: 'kefu_sla_scan_last_completed_timestamp_seconds',
    help: 'When the SLA scanner last completed a scan (Unix seconds), by scanner (tickets, incidents)',
    labelNames: ['scanner'],
    registers: [r],
    async collect() {
      const rows = await scans();
      this.reset();
      for (const row of rows) this.set({ scanner: row.scanner }, Date.parse(row.last_completed_at) / 1000);
    },
  });
  new Gauge({
    name: 'kefu_sla_scan_age_seconds',
    help: 'Seconds since the SLA scanner last completed a scan, by scanner',
    labelNames: ['scanner'],
    registers: [r],
    async collect() {
      const rows = await scans();
      const now = s.clock.now().getTime();
      this.reset();
      for (const row of rows)
        this.set({ scanner: row.scanner }, Math.max(0, (now - Date.parse(row.last_completed_at)) / 1000));
    },
  });
  new Gauge({
    name: 'kefu_sla_calendar_open',
    help: 'Whether the workspace is in working hours by its SLA calendars (1) or not (0); no calendar: 7×24',
    labelNames: ['workspace'],
    registers: [r],
    async collect() {
      const open = await workingHours(s, s.clock.now());
      this.reset();
      for (const [workspace, yes] of open) this.set({ workspace }, yes ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kefu_sla_calendar_holidays_known_until_seconds',
    help: "When mainland China's holiday arrangement known to Kefu ends (Unix seconds), per workspace whose calendars use it",
    labelNames: ['workspace'],
    registers: [r],
    async collect() {
      const workspaces = await cnHolidayWorkspaces(s);
      this.reset();
      for (const workspace of workspaces) this.set({ workspace }, cnHolidaysKnownUntil());
    },
  });
}
