/**
 * The console's backups API. Backups are the installation's (every workspace's data, the keys): the
 * ops of the installation (`installation.ops`: its home workspace's owner, admins and ops engineers,
 * as for monitoring) configure targets and run backups, verifications, drills and prunes. Nothing
 * here restores: a restore (and above all one over live data, `kefu restore --force`) is done on the
 * server's command line with the backup key, which only the installation's owner holds.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../../../shared/api.ts';
import { RunBody, RunsQuery, TargetBody, type BackupStatus, type TargetBackup } from '../../../shared/backups-api.ts';
import type { Services } from '../../context.ts';
import { unitOfWork } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import { validateBackupKey } from './crypto.ts';
import {
  drillCsv,
  drillExportFormats,
  drillFileName,
  drillHtml,
  exportLanguage,
  type DrillExport,
} from './drill-export.ts';
import { backupErrorMessage } from './errors.ts';
import { backupSchedules } from './jobs.ts';
import { listBackups } from './operations.ts';
import { openRepo } from './repo.ts';
import {
  announce,
  deleteTarget,
  getRun,
  insertRun,
  lastOk,
  listRuns,
  listTargets,
  saveTarget,
  targetPolicy,
  targetRow,
  toRun,
} from './service.ts';
import { openTarget } from './targets/open.ts';

const permission = 'installation.ops' as const;

export function backupRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['backups'];

  r.get('/api/backups/status', { config: { permission }, schema: { tags } }, async (): Promise<BackupStatus> => ({
    keyConfigured: validateBackupKey(s.config.backupKey) === null,
    timeZone: s.config.backupTimeZone,
    retention: s.config.backupRetention,
    lastVerifiedAt: await lastOk(s, 'verify'),
    lastBackupAt: await lastOk(s, 'backup'),
    schedules: backupSchedules(s.config.backupTimeZone)
      .filter((x) => x.name !== 'backups.watch')
      .map((x) => ({ name: x.name, cron: x.cron })),
  }));

  r.get('/api/backups/targets', { config: { permission }, schema: { tags } }, async () => ({
    items: await listTargets(s),
  }));
  r.post('/api/backups/targets', { config: { permission }, schema: { tags, body: TargetBody } }, async (req, reply) =>
    reply.status(201).send(await saveTarget(ctxOf(s, req), null, req.body)),
  );
  r.put(
    '/api/backups/targets/:id',
    { config: { permission }, schema: { tags, params: IdParam, body: TargetBody } },
    async (req) => saveTarget(ctxOf(s, req), req.params.id, req.body),
  );
  r.delete(
    '/api/backups/targets/:id',
    { config: { permission }, schema: { tags, params: IdParam } },
    async (req, reply) => {
      await deleteTarget(ctxOf(s, req), req.params.id);
      return reply.status(204).send();
    },
  );

  /** The backups on a target, read from the target itself (needs the backup key). */
  r.get(
    '/api/backups/targets/:id/backups',
    { config: { permission }, schema: { tags, params: IdParam } },
    async (req) => {
      const row = await targetRow(s, req.params.id);
      const problem = validateBackupKey(s.config.backupKey);
      if (problem) throw new AppError(409, 'backup_key_missing', problem);
      try {
        const target = await openTarget(s, row);
        try {
          const repo = await openRepo(target, s.config.backupKey!, { create: false, now: s.clock.now() });
          const { items, unreadable } = await listBackups(repo, targetPolicy(s, row), s.config.backupTimeZone);
          // A PostgreSQL backup goes into a new database, its key and attachments into a folder (--files-to is required).
          const restoreCommand = (b: { id: string; engine: string }) =>
            `kefu restore ${b.id} --target ${row.name} --to ${b.engine === 'postgres' ? 'postgres://USER@HOST/kefu_restored --files-to ' : ''}/srv/kefu-restored`;
          return {
            items: items.map((b): TargetBackup => ({ ...b, restoreCommand: restoreCommand(b) })),
            unreadable,
          };
        } finally {
          await target.close();
        }
      } catch (err) {
        const message = backupErrorMessage(err);
        if (message?.includes('no Kefu backups there')) return { items: [], unreadable: [] };
        if (message) throw new AppError(502, 'target_unavailable', message);
        throw err;
      }
    },
  );

  r.get('/api/backups/runs', { config: { permission }, schema: { tags, querystring: RunsQuery } }, async (req) => ({
    items: await listRuns(s, req.query),
  }));
  r.get('/api/backups/runs/:id', { config: { permission }, schema: { tags, params: IdParam } }, async (req) =>
    getRun(s, req.params.id),
  );

  /** A drill's stored report, exported: JSON, CSV or a printable HTML page (a download either way). */
  r.get(
    '/api/backups/runs/:id/report',
    {
      config: { permission },
      schema: {
        tags,
        params: IdParam,
        querystring: z.strictObject({
          format: z.enum(drillExportFormats).default('json'),
          /** The console's language; without it, the browser's (Accept-Language). */
          lang: z.enum(['zh-CN', 'en']).optional(),
        }),
      },
    },
    async (req, reply) => {
      const run = await getRun(s, req.params.id);
      if (run.kind !== 'drill' || !run.report)
        throw new AppError(404, 'no_drill_report', `run ${run.id} is a ${run.kind} run without a drill report`);
      const target = run.targetId ? await targetRow(s, run.targetId).catch(() => null) : null;
      const e: DrillExport = {
        runId: run.id,
        target: target?.name ?? run.targetId ?? '',
        trigger: run.trigger,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        status: run.status,
        report: run.report as DrillExport['report'],
      };
      const lang = exportLanguage(req.query.lang ?? req.headers['accept-language']);
      const format = req.query.format;
      const body =
        format === 'json'
          ? JSON.stringify(e, null, 2) + '\n'
          : format === 'csv'
            ? drillCsv(e, lang)
            : drillHtml(e, lang);
      const type = { json: 'application/json', csv: 'text/csv', html: 'text/html' }[format];
      return reply
        .type(`${type}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="${drillFileName(e, format)}"`)
        .send(body);
    },
  );

  /** Starts a backup, verification, drill or prune now: queued for the worker, followed through GET /api/backups/runs/:id. */
  r.post('/api/backups/runs', { config: { permission }, schema: { tags, body: RunBody } }, async (req, reply) => {
    const ctx = ctxOf(s, req);
    const row = await targetRow(s, req.body.targetId);
    const problem = validateBackupKey(s.config.backupKey);
    if (problem) throw new AppError(409, 'backup_key_missing', problem);
    const run = await unitOfWork(ctx, async (ctx) => {
      const run = await insertRun(ctx, row.id, req.body.kind, 'manual');
      await enqueue(ctx.db, ctx.clock, { type: 'backups.run', payload: { runId: run.id }, maxAttempts: 1 });
      await announce(ctx, 'backup.requested', 'backup_run', run.id, {
        runId: run.id,
        target: row.name,
        kind: req.body.kind,
      });
      return run;
    });
    return reply.status(202).send(toRun(run));
  });
}
