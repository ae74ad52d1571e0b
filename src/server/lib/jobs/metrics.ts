/** Queue gauges for monitoring: depth, the oldest due job's wait, failures (read at scrape/sample time). */
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../clock.ts';
import { jobCounts } from './queue.ts';
import { own } from './schema.ts';

export function registerJobMetrics(registry: Registry, db: Db, clock: Clock): void {
  if (registry.getSingleMetric('kefu_jobs')) return;
  new Gauge({
    name: 'kefu_jobs',
    help: 'Jobs in the durable queue, by status (queued, running, done, failed)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await jobCounts(db);
      this.reset();
      for (const status of ['queued', 'running', 'done', 'failed']) this.set({ status }, counts[status] ?? 0);
    },
  });
  new Gauge({
    name: 'kefu_jobs_oldest_due_age_seconds',
    help: 'How long the oldest queued job has been due (0 when none): a stuck worker shows as growth',
    registers: [registry],
    // One probe of jobs_due_idx (status, run_at).
    async collect() {
      const now = clock.now().toISOString();
      const row = await own(db)
        .selectFrom('jobs')
        .select('run_at')
        .where('status', '=', 'queued')
        .where('run_at', '<=', now)
        .orderBy('run_at')
        .limit(1)
        .executeTakeFirst();
      this.set(row ? Math.max(0, (Date.parse(now) - Date.parse(row.run_at)) / 1000) : 0);
    },
  });
}
