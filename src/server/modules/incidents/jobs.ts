import type { Services } from '../../context.ts';
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import { recordScan } from '../sla/index.ts';
import { checkDueIncidents } from './clock.ts';
import { runDelivery } from './notify.ts';
import { runDueEscalations } from './oncall/escalate.ts';
import type { Job } from '../../lib/jobs/queue.ts';

/** Incident deadlines (warnings, breaches) are found by scanning the indexed next_check_at every minute. */
export const incidentSchedules: Schedule[] = [
  { name: 'incidents.sla_check', cron: '* * * * *', jobType: 'incidents.sla_check' },
  { name: 'incidents.escalate', cron: '* * * * *', jobType: 'incidents.escalate' },
];

export const incidentJobs = {
  'incidents.sla_check': async (_job: unknown, s: Services) => {
    let checked = 0;
    for (let i = 0, n = 200; i < 50 && n === 200; i++) checked += n = await checkDueIncidents(s, 200);
    // kefu_sla_scan_last_completed_timestamp_seconds{scanner="incidents"} (sla/metrics.ts).
    await recordScan(s, 'incidents', checked);
  },
  'incidents.notify': (job: Job, s: Services) => runDelivery(job, s),
  'incidents.escalate': async (_job: unknown, s: Services) => {
    for (let i = 0; i < 50 && (await runDueEscalations(s, 200)) === 200; i++);
  },
};
