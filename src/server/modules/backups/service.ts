/**
 * Targets (secrets encrypted with the installation key, never returned) and the run history.
 * Installation-wide: the routes ask for `installation.manage`.
 */
import type { BackupRun, BackupTarget, Retention, RunKind, TargetBody } from '../../../shared/backups-api.ts';
import { TargetBody as TargetBodySchema } from '../../../shared/backups-api.ts';
import type { Ctx, Scope, Services } from '../../context.ts';
import { publish, unitOfWork } from '../../context.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { listWorkspaces } from '../workspaces/index.ts';
import { policyOf, retentionFor, type RetentionPolicy } from './retention.ts';
import { own, type BackupRunsTable, type BackupTargetsTable } from './schema.ts';

export type TargetRow = BackupTargetsTable;

/** A row's own retention (null: the installation's). */
export const ownRetention = (r: Pick<TargetRow, 'retention'>): Retention | null =>
  r.retention ? (JSON.parse(r.retention) as Retention) : null;

/** The retention policy a target's prune and listing apply. */
export const targetPolicy = (s: Pick<Services, 'config'>, r: TargetRow): RetentionPolicy =>
  policyOf(retentionFor(s.config.backupRetention, { offsite: r.offsite === 1, retention: ownRetention(r) }));

export function toTarget(
  s: Pick<Services, 'config'>,
  r: TargetRow,
  secrets: Record<string, unknown> | null,
): BackupTarget {
  const retention = ownRetention(r);
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as BackupTarget['kind'],
    offsite: r.offsite === 1,
    enabled: r.enabled === 1,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    secrets: Object.entries(secrets ?? {})
      .filter(([, v]) => v)
      .map(([k]) => k),
    hostKey: r.host_key,
    fromConfig: r.source === 'config',
    retention,
    effectiveRetention: retentionFor(s.config.backupRetention, { offsite: r.offsite === 1, retention }),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function secretsOf(s: Pick<Services, 'cipher'>, r: TargetRow): Record<string, string> {
  return r.secrets_enc ? (JSON.parse(s.cipher.decrypt(r.secrets_enc)) as Record<string, string>) : {};
}

export async function targetRows(s: Pick<Services, 'db'>): Promise<TargetRow[]> {
  return own(s.db).selectFrom('backup_targets').selectAll().orderBy('name').execute();
}

export async function targetRow(s: Pick<Services, 'db'>, id: string): Promise<TargetRow> {
  const r = await own(s.db).selectFrom('backup_targets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('backup target');
  return r;
}

export async function targetByName(s: Pick<Services, 'db'>, name: string): Promise<TargetRow | undefined> {
  return own(s.db).selectFrom('backup_targets').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listTargets(s: Services): Promise<BackupTarget[]> {
  return (await targetRows(s)).map((r) => toTarget(s, r, secretsOf(s, r)));
}

/** Creates or replaces a target. Secrets left out of an update are kept; a changed SFTP host forgets its pinned key. */
export async function saveTarget(
  ctx: Ctx | Services,
  id: string | null,
  input: TargetBody,
  source: 'console' | 'config' = 'console',
): Promise<BackupTarget> {
  const body = TargetBodySchema.parse(input);
  return unitOfWork(ctx, async (ctx) => {
    const now = ctx.clock.now().toISOString();
    const before = id ? await targetRow(ctx, id) : null;
    if (before) assertEditable(before, source);
    if (before && before.kind !== body.kind)
      throw conflict('the kind of a target cannot change; create another target');
    const clash = await targetByName(ctx, body.name);
    if (clash && clash.id !== id) throw conflict(`a target named ${body.name} exists`);
    const newSecrets = 'secrets' in body && body.secrets ? body.secrets : {};
    const secrets = {
      ...(before ? secretsOf(ctx, before) : {}),
      ...Object.fromEntries(Object.entries(newSecrets).filter(([, v]) => v)),
    };
    const settings = JSON.stringify(body.settings);
    const beforeSettings = before ? (JSON.parse(before.settings) as { host?: string; port?: number }) : null;
    const sameHost =
      beforeSettings &&
      'host' in body.settings &&
      beforeSettings.host === body.settings.host &&
      beforeSettings.port === body.settings.port;
    const row: TargetRow = {
      id: id ?? newId('btg'),
      name: body.name,
      kind: body.kind,
      settings,
      secrets_enc: Object.keys(secrets).length ? ctx.cipher.encrypt(JSON.stringify(secrets)) : null,
      offsite: body.offsite ? 1 : 0,
      enabled: body.enabled ? 1 : 0,
      host_key: sameHost ? before!.host_key : null,
      retention: body.retention ? JSON.stringify(body.retention) : null,
      source,
      created_at: before?.created_at ?? now,
      updated_at: now,
    };
    if (before) await own(ctx.db).updateTable('backup_targets').set(row).where('id', '=', row.id).execute();
    else await own(ctx.db).insertInto('backup_targets').values(row).execute();
    await announce(ctx, 'backup_target.saved', 'backup_target', row.id, {
      name: row.name,
      kind: row.kind,
      offsite: body.offsite,
    });
    return toTarget(ctx, row, secrets);
  });
}

export async function deleteTarget(ctx: Ctx, id: string): Promise<void> {
  await unitOfWork(ctx, async (ctx) => {
    const row = await targetRow(ctx, id);
    assertEditable(row, 'console');
    await own(ctx.db).deleteFrom('backup_targets').where('id', '=', id).execute();
    await announce(ctx, 'backup_target.deleted', 'backup_target', id, { name: row.name });
  });
}

/** A target from the config file is changed there (and synced at start), not in the console. */
function assertEditable(row: TargetRow, by: 'console' | 'config'): void {
  if (row.source === 'config' && by === 'console')
    throw new AppError(409, 'config_target', `${row.name} is defined in the config file: change it there`);
}

export async function pinHostKey(s: Pick<Services, 'db'>, id: string, fingerprint: string): Promise<void> {
  await own(s.db)
    .updateTable('backup_targets')
    .set({ host_key: fingerprint })
    .where('id', '=', id)
    .where('host_key', 'is', null)
    .execute();
}

/**
 * Installation-wide events are recorded in the acting user's workspace, or (the system acting)
 * in the installation's first workspace; without any workspace there is nobody to tell.
 */
export async function announce<K extends Parameters<typeof publish>[1]>(
  s: Scope,
  type: K,
  objectType: string,
  objectId: string | null,
  data: Parameters<typeof publish<K>>[5],
): Promise<void> {
  const ws = s.actor?.workspaceId ?? (await homeWorkspace(s));
  if (ws) await publish(s, type, ws, objectType, objectId, data);
}

async function homeWorkspace(s: Scope): Promise<string | null> {
  return (await listWorkspaces(s))[0]?.id ?? null;
}

type RunRow = BackupRunsTable;

export function toRun(r: RunRow): BackupRun {
  return {
    id: r.id,
    targetId: r.target_id,
    kind: r.kind as RunKind,
    trigger: r.trigger as BackupRun['trigger'],
    status: r.status as BackupRun['status'],
    progress: r.progress,
    backupId: r.backup_id,
    bytes: r.bytes === null ? null : Number(r.bytes),
    storedBytes: r.stored_bytes === null ? null : Number(r.stored_bytes),
    durationMs: r.duration_ms,
    report: r.report ? (JSON.parse(r.report) as unknown) : null,
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export async function insertRun(
  s: Scope,
  targetId: string | null,
  kind: RunKind,
  trigger: 'schedule' | 'manual',
): Promise<RunRow> {
  const row: RunRow = {
    id: newId('brn'),
    target_id: targetId,
    kind,
    trigger,
    status: 'queued',
    progress: 0,
    backup_id: null,
    bytes: null,
    stored_bytes: null,
    duration_ms: null,
    report: null,
    error: null,
    requested_by: s.actor?.userId ?? null,
    started_at: s.clock.now().toISOString(),
    finished_at: null,
    runner: null,
    heartbeat_at: null,
    verified_backup_at: null,
    failure_cause: null,
  };
  await own(s.db).insertInto('backup_runs').values(row).execute();
  return row;
}

export async function updateRun(s: Pick<Services, 'db'>, id: string, patch: Partial<RunRow>): Promise<void> {
  await own(s.db).updateTable('backup_runs').set(patch).where('id', '=', id).execute();
}

export async function getRun(s: Pick<Services, 'db'>, id: string): Promise<BackupRun> {
  const r = await own(s.db).selectFrom('backup_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('backup run');
  return toRun(r);
}

export async function listRuns(
  s: Pick<Services, 'db'>,
  q: { targetId?: string; kind?: RunKind },
): Promise<BackupRun[]> {
  let query = own(s.db)
    .selectFrom('backup_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.kind) query = query.where('kind', '=', q.kind);
  return (await query.execute()).map(toRun);
}

/** The newest successful run of a kind (for the status line and the staleness watch). */
export async function lastOk(s: Pick<Services, 'db'>, kind: RunKind): Promise<string | null> {
  const r = await own(s.db)
    .selectFrom('backup_runs')
    .select('finished_at')
    .where('kind', '=', kind)
    .where('status', '=', 'ok')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.finished_at ?? null;
}

/**
 * When the newest backup that a verification found intact was made (on any target), or null. The
 * staleness watch and its gauge measure from it: a verification that failed to run, or that found
 * only old backups intact, does not make the installation look freshly backed up.
 */
export async function newestVerifiedBackupAt(s: Pick<Services, 'db'>): Promise<string | null> {
  const r = await own(s.db)
    .selectFrom('backup_runs')
    .select((eb) => eb.fn.max('verified_backup_at').as('at'))
    .where('kind', '=', 'verify')
    .executeTakeFirst();
  return r?.at ?? null;
}
