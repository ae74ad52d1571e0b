/**
 * Executes one run of the history (a backup, verification, drill, prune or off-site copy) and
 * records its outcome and events. A run is claimed by moving it from `queued` to `running`, so a
 * job retried after its lease ran out (a long backup) does not start it twice.
 */
import type { Services } from '../../context.ts';
import { validateBackupKey } from './crypto.ts';
import { runDrill } from './drill.ts';
import { backupErrorMessage, isBackupDamage } from './errors.ts';
import { backupLocked, copyBackup, prune, verifyAndMark, withLock } from './operations.ts';
import { thisRunner } from './owner.ts';
import { heartbeatMs } from './recovery.ts';
import { openRepo, type Repo } from './repo.ts';
import { announce, targetPolicy, targetRow, updateRun, type TargetRow } from './service.ts';
import { own } from './schema.ts';
import { sourceOf } from './source.ts';
import { openTarget } from './targets/open.ts';

export class RunFailed extends Error {}

async function withRepo<T>(s: Services, row: TargetRow, create: boolean, fn: (repo: Repo) => Promise<T>): Promise<T> {
  const problem = validateBackupKey(s.config.backupKey);
  if (problem) throw new RunFailed(problem);
  const target = await openTarget(s, row);
  try {
    return await fn(await openRepo(target, s.config.backupKey!, { create, now: s.clock.now() }));
  } finally {
    await target.close();
  }
}

/**
 * Runs `runId` if it is still queued; returns false when another worker has it. While it runs, the
 * row names this process and beats a heartbeat (recovery.ts marks it failed if the process stops).
 */
export async function executeRun(s: Services, runId: string, opts: { copyFrom?: string } = {}): Promise<boolean> {
  const at = s.clock.now().toISOString();
  const claimed = await own(s.db)
    .updateTable('backup_runs')
    .set({ status: 'running', started_at: at, runner: thisRunner, heartbeat_at: at })
    .where('id', '=', runId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return false;
  const beat = setInterval(() => {
    void own(s.db)
      .updateTable('backup_runs')
      .set({ heartbeat_at: s.clock.now().toISOString() })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute()
      .catch(() => undefined);
  }, heartbeatMs);
  beat.unref();
  try {
    await execute(s, runId, opts);
  } finally {
    clearInterval(beat);
  }
  return true;
}

async function execute(s: Services, runId: string, opts: { copyFrom?: string }): Promise<void> {
  const started = performance.now();
  const run = await own(s.db).selectFrom('backup_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
  const row = await targetRow(s, run.target_id!);
  const now = () => s.clock.now();
  // Progress writes go one after another, and the final write waits for the last of them: an
  // unawaited 99 % could otherwise land after the finish's 100 % (seen on PostgreSQL under load).
  let progressWrites: Promise<unknown> = Promise.resolve();
  const finish = async (patch: Parameters<typeof updateRun>[2]) => {
    await progressWrites;
    return updateRun(s, runId, {
      finished_at: now().toISOString(),
      duration_ms: Math.round(performance.now() - started),
      progress: 100,
      ...patch,
    });
  };
  const base = { runId, target: row.name };
  let lastProgress = 0;
  const progress = (share: number) => {
    const pct = Math.min(99, Math.floor(share * 100));
    if (pct > lastProgress) {
      lastProgress = pct;
      progressWrites = progressWrites.then(() => updateRun(s, runId, { progress: pct }).catch(() => undefined));
    }
  };
  try {
    if (run.kind === 'backup') {
      const source = await sourceOf(s);
      const m = await withRepo(s, row, true, (repo) =>
        backupLocked(source, repo, {
          now,
          reason: run.trigger,
          faults: s.faults,
          onProgress: (p) => p.totalBytes && progress(p.doneBytes / p.totalBytes),
        }),
      );
      await finish({
        status: 'ok',
        backup_id: m.id,
        bytes: m.bytes,
        stored_bytes: m.storedBytes,
        report: JSON.stringify({ consistencyAt: m.consistencyAt, tables: m.tables }),
      });
      await announce(s, 'backup.completed', 'backup_run', runId, {
        ...base,
        backupId: m.id,
        bytes: m.bytes,
        storedBytes: m.storedBytes,
        durationMs: m.durationMs,
      });
    } else if (run.kind === 'verify') {
      const { result: r, newestIntactAt } = await withRepo(s, row, false, (repo) =>
        verifyAndMark(repo, now, (d, t) => t && progress(d / t)),
      );
      const damaged = r.backups.filter((b) => !b.ok).map((b) => b.id);
      await finish({
        status: r.ok ? 'ok' : 'failed',
        failure_cause: r.ok ? null : 'damaged',
        verified_backup_at: newestIntactAt,
        report: JSON.stringify(r),
        error: r.ok ? null : `damaged: ${damaged.join(', ')}`,
      });
      await announce(s, 'backup.verified', 'backup_run', runId, { ...base, ok: r.ok, damaged });
      if (!r.ok)
        await announce(s, 'backup.failed', 'backup_run', runId, {
          ...base,
          kind: 'verify',
          error: `damaged backups: ${damaged.join(', ')}`,
        });
    } else if (run.kind === 'drill') {
      const r = await withRepo(s, row, false, (repo) => runDrill(repo, { now, databaseUrl: s.config.databaseUrl }));
      await finish({
        status: r.ok ? 'ok' : 'failed',
        failure_cause: r.ok ? null : r.damaged ? 'damaged' : 'error',
        backup_id: r.backupId,
        bytes: r.bytes,
        report: JSON.stringify(r),
        error: r.ok ? null : r.problems.join('; '),
      });
      await announce(s, 'backup.drill_completed', 'backup_run', runId, {
        ...base,
        ok: r.ok,
        backupId: r.backupId,
        rtoMs: r.rtoMs,
        rpoMs: r.rpoMs,
        problems: r.problems,
      });
      if (!r.ok)
        await announce(s, 'backup.failed', 'backup_run', runId, {
          ...base,
          kind: 'drill',
          error: r.problems.join('; '),
        });
    } else if (run.kind === 'prune') {
      const policy = targetPolicy(s, row);
      const r = await withRepo(s, row, false, (repo) => prune(repo, policy, s.config.backupTimeZone, now));
      // A prune held back by unreadable manifests did its job safely; the reason stays in view (verification alerts on them).
      await finish({ status: 'ok', report: JSON.stringify(r), error: r.unreadable?.length ? r.skipped! : null });
    } else if (run.kind === 'copy') {
      const from = await targetRow(s, opts.copyFrom!);
      const r = await withRepo(s, from, false, (src) =>
        withRepo(s, row, true, async (dst) => {
          const newest = (await src.manifests()).items.at(-1);
          if (!newest) throw new RunFailed(`no backup on ${from.name} to copy`);
          return {
            id: newest.id,
            bytes: newest.bytes,
            ...(await withLock(dst, now, () => copyBackup(src, dst, newest.id))),
          };
        }),
      );
      await finish({
        status: 'ok',
        backup_id: r.id,
        bytes: r.bytes,
        stored_bytes: r.storedBytes,
        report: JSON.stringify({ from: from.name }),
      });
    }
  } catch (err) {
    const message =
      backupErrorMessage(err) ?? (err instanceof RunFailed ? err.message : `unexpected: ${(err as Error).message}`);
    if (!backupErrorMessage(err) && !(err instanceof RunFailed)) s.log.error({ err, runId }, 'backup run failed');
    // A verification that stopped on a damaged chunk or the wrong key found damage; one that could
    // not reach its target found nothing either way (BackupFailed, and BackupNotVerified as it ages).
    await finish({ status: 'failed', error: message, failure_cause: isBackupDamage(err) ? 'damaged' : 'error' });
    await announce(s, 'backup.failed', 'backup_run', runId, { ...base, kind: run.kind, error: message });
  }
}
