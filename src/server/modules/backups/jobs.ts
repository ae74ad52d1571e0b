/**
 * The contract's schedule, in the installation's `backupTimeZone` (default Asia/Shanghai; one node
 * runs each tick: the scheduler enqueues it with a unique key and one worker claims it):
 * - nightly 03:00: a backup to every enabled on-site target, then prune by policy, then verify;
 * - monthly, the 1st at 04:30: the newest backup copied to every off-site target, pruned there (12 months);
 * - quarterly, Jan/Apr/Jul/Oct 1st at 05:30: a restore drill of every enabled target;
 * Each first marks runs whose process stopped as failed and deletes their work folders (recovery.ts).
 * - hourly: no backup made in the last 26 hours that a verification found intact raises `backup.stale`
 *   (once a day while it lasts).
 */
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import type { Job } from '../../lib/jobs/queue.ts';
import type { Services } from '../../context.ts';
import { recoverInterrupted } from './recovery.ts';
import { executeRun } from './runner.ts';
import { own } from './schema.ts';
import { announce, insertRun, newestVerifiedBackupAt, targetRows, type TargetRow } from './service.ts';

export const backupSchedules = (tz: string): Schedule[] => [
  { name: 'backups.nightly', cron: '0 3 * * *', jobType: 'backups.nightly', timezone: tz },
  { name: 'backups.offsite', cron: '30 4 1 * *', jobType: 'backups.offsite', timezone: tz },
  { name: 'backups.drill', cron: '30 5 1 1,4,7,10 *', jobType: 'backups.drill', timezone: tz },
  { name: 'backups.watch', cron: '17 * * * *', jobType: 'backups.watch', timezone: tz },
];

const staleHours = 26;
const busyMs = 6 * 3600_000;

/** Whether a run of `kind` on the target is queued or running (a job retried after its lease ran out must not start another). */
async function busy(s: Services, target: TargetRow, kind: string): Promise<boolean> {
  const since = new Date(s.clock.now().getTime() - busyMs).toISOString();
  const r = await own(s.db)
    .selectFrom('backup_runs')
    .select('id')
    .where('target_id', '=', target.id)
    .where('kind', '=', kind)
    .where('status', 'in', ['queued', 'running'])
    .where('started_at', '>', since)
    .executeTakeFirst();
  return !!r;
}

async function runNow(
  s: Services,
  target: TargetRow,
  kind: 'backup' | 'verify' | 'drill' | 'prune' | 'copy',
  copyFrom?: string,
) {
  if (await busy(s, target, kind)) return;
  const run = await insertRun(s, target.id, kind, 'schedule');
  await executeRun(s, run.id, { copyFrom });
}

export const backupJobs: Record<string, (job: Job, s: Services) => Promise<void>> = {
  async 'backups.run'(job, s) {
    const p = job.payload as { runId: string; copyFrom?: string };
    await executeRun(s, p.runId, { copyFrom: p.copyFrom });
  },
  async 'backups.nightly'(_job, s) {
    await recoverInterrupted(s);
    for (const t of (await targetRows(s)).filter((t) => t.enabled && !t.offsite)) {
      await runNow(s, t, 'backup');
      await runNow(s, t, 'prune');
      await runNow(s, t, 'verify');
    }
  },
  async 'backups.offsite'(_job, s) {
    await recoverInterrupted(s);
    const targets = (await targetRows(s)).filter((t) => t.enabled);
    const primary = targets.find((t) => !t.offsite);
    if (!primary) return;
    for (const t of targets.filter((t) => t.offsite)) {
      await runNow(s, t, 'copy', primary.id);
      await runNow(s, t, 'prune');
    }
  },
  async 'backups.drill'(_job, s) {
    await recoverInterrupted(s);
    for (const t of (await targetRows(s)).filter((t) => t.enabled)) await runNow(s, t, 'drill');
  },
  async 'backups.watch'(_job, s) {
    await recoverInterrupted(s);
    await watchStaleness(s);
  },
};

/**
 * Raises `backup.stale` when targets exist and the newest backup a verification found intact was
 * made more than 26 hours ago (or none was, and the first target is that old); at most once per 24 hours.
 */
export async function watchStaleness(s: Services): Promise<boolean> {
  const targets = (await targetRows(s)).filter((t) => t.enabled);
  if (!targets.length) return false;
  const now = s.clock.now().getTime();
  const oldest = Math.min(...targets.map((t) => Date.parse(t.created_at)));
  const verified = await newestVerifiedBackupAt(s);
  const since = verified ? Date.parse(verified) : oldest;
  if (now - since < staleHours * 3600_000) return false;
  const lastAlert = await own(s.db)
    .selectFrom('backup_runs')
    .select('started_at')
    .where('kind', '=', 'watch')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (lastAlert && now - Date.parse(lastAlert.started_at) < 24 * 3600_000) return false;
  const run = await insertRun(s, null, 'watch', 'schedule');
  const hours = Math.floor((now - since) / 3600_000);
  await own(s.db)
    .updateTable('backup_runs')
    .set({
      status: 'failed',
      failure_cause: 'error',
      progress: 100,
      finished_at: s.clock.now().toISOString(),
      error: `no verified backup for ${hours} hours`,
    })
    .where('id', '=', run.id)
    .execute();
  await announce(s, 'backup.stale', 'backup_run', run.id, { lastVerifiedAt: verified, hours });
  return true;
}
