/**
 * After a process stopped midway through a run (kill -9, a power cut, the OOM killer):
 * - the run it left `running` is marked failed, "interrupted: the process stopped" (so the
 *   `BackupFailed` alert sees it, and the next scheduled run is not held back as busy);
 * - its work folder (`<dataDir>/.backup-work/<backup id>`: the database snapshot) is deleted;
 * - its lock on the target (`locks/<id>`) is removed, so prune does not wait hours for it.
 * The chunks it uploaded stay: the next backup reuses them, and prune removes those nobody needs.
 *
 * A run, a work folder and a lock name the process that made them (`thisRunner`, owner.ts), which
 * tells when that process is certainly gone. A run of another host is gone when its heartbeat
 * stopped for `staleBeatMs`. Called at start (every node), before each scheduled job, and before
 * each backup (so the command line cleans up after a killed `kefu backup` too).
 */
import type { Services } from '../../context.ts';
import { runnerGone, sweepWorkDirs } from './owner.ts';
import { announce } from './service.ts';
import { own } from './schema.ts';

export const heartbeatMs = 30_000;
export const staleBeatMs = 5 * 60_000;
export const interruptedError = 'interrupted: the process stopped';

/** Marks runs whose process is gone as failed and announces `backup.failed`; returns their ids. */
export async function recoverInterruptedRuns(s: Services): Promise<string[]> {
  const now = s.clock.now();
  const running = await own(s.db)
    .selectFrom('backup_runs')
    .leftJoin('backup_targets', 'backup_targets.id', 'backup_runs.target_id')
    .select([
      'backup_runs.id',
      'backup_runs.kind',
      'backup_runs.runner',
      'backup_runs.heartbeat_at',
      'backup_runs.started_at',
      'backup_targets.name',
    ])
    .where('backup_runs.status', '=', 'running')
    .execute();
  const recovered: string[] = [];
  for (const r of running) {
    const beat = r.heartbeat_at ?? r.started_at;
    const silent = now.getTime() - Date.parse(beat) > staleBeatMs;
    if (!silent && !(r.runner && runnerGone(r.runner))) continue;
    let q = own(s.db)
      .updateTable('backup_runs')
      .set({
        status: 'failed',
        error: interruptedError,
        failure_cause: 'error',
        finished_at: now.toISOString(),
        duration_ms: Math.max(0, Date.parse(beat) - Date.parse(r.started_at)),
      })
      .where('id', '=', r.id)
      .where('status', '=', 'running');
    // Only if it did not beat meanwhile (its process was slow, not gone).
    q = r.heartbeat_at ? q.where('heartbeat_at', '=', r.heartbeat_at) : q.where('heartbeat_at', 'is', null);
    if (Number((await q.executeTakeFirst()).numUpdatedRows) === 0) continue;
    recovered.push(r.id);
    s.log.warn({ runId: r.id, kind: r.kind, runner: r.runner }, 'backup run interrupted: its process stopped');
    await announce(s, 'backup.failed', 'backup_run', r.id, {
      runId: r.id,
      target: r.name ?? null,
      kind: r.kind,
      error: interruptedError,
    });
  }
  return recovered;
}

/** Both, logged; never fails the caller (a start, a scheduled job). */
export async function recoverInterrupted(s: Services): Promise<void> {
  try {
    const runs = await recoverInterruptedRuns(s);
    const dirs = await sweepWorkDirs(s.config.dataDir);
    if (dirs.length) s.log.warn({ dirs }, 'deleted the work folders of interrupted backups');
    if (runs.length || dirs.length) s.log.info({ runs, dirs }, 'recovered from interrupted backup runs');
  } catch (err) {
    s.log.error({ err }, 'recovering interrupted backup runs failed');
  }
}
