/** Background work of the users module. */
import type { Services } from '../../context.ts';
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import { own } from './schema.ts';

export const userSchedules: Schedule[] = [{ name: 'sessions.purge', cron: '17 * * * *', jobType: 'sessions.purge' }];

export const userJobs = {
  'sessions.purge': async (_job: unknown, s: Services) => {
    await own(s.db).deleteFrom('sessions').where('expires_at', '<', s.clock.now().toISOString()).execute();
  },
};
