import type { Services } from '../../context.ts';
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import { checkDueTickets } from './clock.ts';

/** SLA deadlines are found by scanning the indexed next_check_at every minute. */
export const ticketSchedules: Schedule[] = [
  { name: 'tickets.sla_check', cron: '* * * * *', jobType: 'tickets.sla_check' },
];

export const ticketJobs = {
  'tickets.sla_check': async (_job: unknown, s: Services) => {
    // A full page means more may be due; bounded so one tick cannot run forever.
    for (let i = 0; i < 50 && (await checkDueTickets(s, 200)) === 200; i++);
  },
};
