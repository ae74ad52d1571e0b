import type { Services } from '../../context.ts';
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import { recordScan } from '../sla/index.ts';
import { checkDueTickets } from './clock.ts';

/** SLA deadlines are found by scanning the indexed next_check_at every minute. */
export const ticketSchedules: Schedule[] = [
  { name: 'tickets.sla_check', cron: '* * * * *', jobType: 'tickets.sla_check' },
];

export const ticketJobs = {
  'tickets.sla_check': async (_job: unknown, s: Services) => {
    // A full page means more may be due; bounded so one tick cannot run forever.
    let checked = 0;
    for (let i = 0, n = 200; i < 50 && n === 200; i++) checked += n = await checkDueTickets(s, 200);
    // The sla module's gauges report it (kefu_sla_scan_last_completed_timestamp_seconds{scanner="tickets"}).
    await recordScan(s, 'tickets', checked);
  },
};
