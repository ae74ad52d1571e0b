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
import { cnDataYears, isBusinessTime, validateCalendar } from '../../lib/time/index.ts';
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

/** Each workspace (by slug) and whether it is in working hours at `now` by its calendars. */
export async function workingHours(s: Pick<Services, 'db'>, now: Date): Promise<Map<string, boolean>> {
  const calendars = await own(s.db).selectFrom('calendars').select(['workspace_id', 'definition']).execute();
  const open = new Map<string, boolean>();
  for (const c of calendars) {
    const v = validateCalendar(JSON.parse(c.definition));
    const inHours = v.ok ? isBusinessTime(v.value, now) : true; // an unreadable calendar never hides an alert
    open.set(c.workspace_id, (open.get(c.workspace_id) ?? false) || inHours);
  }
  return new Map((await listWorkspaces(s)).map((w) => [w.slug, open.get(w.id) ?? true]));
}

/** The workspaces (by slug) with a calendar that uses mainland China's holidays. */
export async function cnHolidayWorkspaces(s: Pick<Services, 'db'>): Promise<string[]> {
  const calendars = await own(s.db).selectFrom('calendars').select(['workspace_id', 'definition']).execute();
  const ids = new Set(
    calendars
      .filter((c) => {
        const v = validateCalendar(JSON.parse(c.definition));
        return v.ok && v.value.holidays === 'CN';
      })
      .map((c) => c.workspace_id),
  );
  return (await listWorkspaces(s)).filter((w) => ids.has(w.id)).map((w) => w.slug);
}

/** The end of the last year of mainland China's arrangement Kefu knows (Unix seconds, Beijing midnight). */
export const cnHolidaysKnownUntil = () => Date.parse(`${cnDataYears.last + 1}-01-01T00:00:00+08:00`) / 1000;

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
