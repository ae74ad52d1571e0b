/** Background work of the users module. */
import type { Services } from '../../context.ts';
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import type { JobWorker } from '../../lib/jobs/worker.ts';

export const userSchedules: Schedule[] = [{ name: 'sessions.purge', cron: '17 * * * *', jobType: 'sessions.purge' }];

export function registerUserJobs(worker: JobWorker, s: Services): void {
  worker.register('sessions.purge', async () => {
    await s.db.deleteFrom('sessions').where('expires_at', '<', s.clock.now().toISOString()).execute();
  });
}
