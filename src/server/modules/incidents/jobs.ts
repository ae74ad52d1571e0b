import type { Services } from '../../context.ts';
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import { checkDueIncidents } from './clock.ts';
import { runDelivery } from './notify.ts';
import type { Job } from '../../lib/jobs/queue.ts';

/** Incident deadlines (warnings, breaches) are found by scanning the indexed next_check_at every minute. */
export const incidentSchedules: Schedule[] = [
  { name: 'incidents.sla_check', cron: '* * * * *', jobType: 'incidents.sla_check' },
];

export const incidentJobs = {
  'incidents.sla_check': async (_job: unknown, s: Services) => {
    for (let i = 0; i < 50 && (await checkDueIncidents(s, 200)) === 200; i++);
  },
  'incidents.notify': (job: Job, s: Services) => runDelivery(job, s),
};
