/**
 * `kefu backup …` and `kefu restore`: the backup engine on the command line. Every failure the
 * user can act on (no key, a wrong key, a missing target, a damaged chunk, a bad destination) is
 * one line on standard error and exit status 2; nothing half written is left at a destination.
 */
import type { Command } from 'commander';
import {
  backupErrorMessage,
  backupLocked,
  generateBackupKey,
  listBackups,
  namedTarget,
  resolveTarget,
  openRepo,
  policyOf,
  prune,
  holdsKefuData,
  restoreBackup,
  restoreOverLive,
  runDrill,
  sourceOf,
  syncConfigTargets,
  targetByName,
  targetPolicy,
  validateBackupKey,
  verifyAndMark,
  type LiveRestoreResult,
  type Manifest,
  type Repo,
  type RestoreResult,
  type RetentionPolicy,
} from '../../server/modules/backups/index.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../server/config.ts';
import type { Services } from '../../server/context.ts';
import { CliExit, type CliIo } from '../io.ts';
import { configFrom, printer, withServices } from '../shared.ts';

type Where = { target?: string; to?: string; from?: string; json?: boolean };
const now = () => new Date();

/** What a target keeps: a configured target's retention, or the installation's on-site one for a folder. */
async function policyFor(config: Config, w: Where, s?: Services): Promise<RetentionPolicy> {
  const row = w.target && s ? await targetByName(s, w.target) : undefined;
  return row && s ? targetPolicy(s, row) : policyOf(config.backupRetention.onsite);
}

/** The one line of a failure (a tool's multi-line message folded) and exit status 2. */
function fail(io: CliIo, message: string): never {
  io.err(`kefu: ${message.trim().replace(/\s*\n\s*/g, ' ')}\n`);
  throw new CliExit(2);
}

function keyOf(io: CliIo, config: Config): string {
  const problem = validateBackupKey(config.backupKey);
  if (problem) fail(io, problem);
  return config.backupKey!;
}

/** Runs `fn` on the repository named by --target/--to/--from; turns known failures into one line and exit 2. */
async function onRepo<T>(
  io: CliIo,
  config: Config,
  w: Where,
  create: boolean,
  fn: (repo: Repo, s?: Services) => Promise<T>,
  s?: Services,
): Promise<T> {
  // A configured target is looked up in the database: open it unless the caller has.
  if (w.target && !s) return withServices(config, (s) => onRepo(io, config, w, create, fn, s));
  const key = keyOf(io, config);
  if (w.target && s) await syncConfigTargets(s);
  const folder = w.to ?? w.from;
  if (!folder && !w.target) fail(io, `name a target: --target NAME or ${create ? '--to' : '--from'} FOLDER`);
  try {
    const target = await resolveTarget({
      name: w.target,
      folder,
      cwd: io.cwd,
      lookup: s ? (name) => namedTarget(s, name) : undefined,
    });
    try {
      const repo = await openRepo(target, key, { create, now: now() });
      return await fn(repo, s);
    } finally {
      await target.close();
    }
  } catch (err) {
    const message = backupErrorMessage(err);
    if (message) fail(io, message);
    throw err;
  }
}

const mib = (n: number) =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;

export function backupCommands(program: Command, io: CliIo): void {
  const print = printer(io);
  const out = (json: boolean | undefined, value: unknown, lines: () => string[]) =>
    json ? print(JSON.stringify(value)) : print(...lines());

  const backup = program
    .command('backup')
    .description(
      'back up the database, attachments and keys (encrypted, incremental); see also list, verify, drill, prune',
    )
    .option('--target <name>', 'a configured target')
    .option('--to <folder>', 'an ad-hoc local folder')
    .option('--json', 'print {"id","createdAt","bytes","storedBytes","durationMs"}')
    .action(async (o: Where, cmd: Command) => {
      const config = configFrom(cmd, io);
      keyOf(io, config);
      await withServices(config, async (s) => {
        const source = await sourceOf(s);
        const m = await onRepo(
          io,
          config,
          o,
          true,
          (repo) => backupLocked(source, repo, { now, reason: 'manual', faults: s.faults }),
          s,
        );
        out(
          o.json,
          { id: m.id, createdAt: m.createdAt, bytes: m.bytes, storedBytes: m.storedBytes, durationMs: m.durationMs },
          () => [
            `backup ${m.id}: ${mib(m.bytes)} backed up, ${mib(m.storedBytes)} new on the target, ${m.durationMs} ms`,
          ],
        );
      });
    });

  backup
    .command('key')
    .description('the backup key')
    .command('init')
    .description('create a backup key and print it once')
    .action(() => {
      const key = generateBackupKey();
      print(
        key,
        '',
        'This is your backup key. It is shown once and stored nowhere by Kefu.',
        '  - Give it to Kefu as KEFU_BACKUP_KEY (or "backupKey" in the config file).',
        '  - Keep a copy AWAY from this server (a password manager, a sealed envelope in the safe):',
        '    a backup cannot be restored without it, and whoever has it and a backup can read the data.',
      );
    });

  const whereOpts = (c: Command) =>
    c
      .option('--target <name>', 'a configured target')
      .option('--from <folder>', 'a local folder')
      .option('--json', 'print JSON');

  whereOpts(backup.command('list').description('list the backups on a target, with why each is kept')).action(
    async (_o: Where, cmd: Command) => {
      const o = cmd.optsWithGlobals<Where>();
      const config = configFrom(cmd, io);
      const r = await onRepo(io, config, o, false, async (repo, s) =>
        listBackups(repo, await policyFor(config, o, s), config.backupTimeZone),
      );
      const items = r.items.map((b) => ({
        id: b.id,
        createdAt: b.createdAt,
        bytes: b.bytes,
        storedBytes: b.storedBytes,
        verifiedAt: b.verifiedAt,
        keep: b.keep,
      }));
      out(o.json, { items }, () =>
        items.length
          ? items.map(
              (b) =>
                `${b.id}  ${b.createdAt}  ${mib(b.bytes)}  +${mib(b.storedBytes)}  verified ${b.verifiedAt ?? 'never'}  keep ${b.keep.join(',') || '-'}`,
            )
          : ['no backups'],
      );
    },
  );

  whereOpts(backup.command('verify').description('read every chunk, check hashes and authentication tags')).action(
    async (_o: Where, cmd: Command) => {
      const o = cmd.optsWithGlobals<Where>();
      const config = configFrom(cmd, io);
      const r = (await onRepo(io, config, o, false, (repo) => verifyAndMark(repo, now))).result;
      out(o.json, r, () => [
        ...r.backups.map((b) => `${b.id}  ${b.ok ? 'ok' : `DAMAGED: ${b.problems.join('; ')}`}`),
        r.ok ? 'all backups verified' : 'verification FAILED',
      ]);
      if (!r.ok) {
        const bad = r.backups.filter((b) => !b.ok);
        fail(
          io,
          `verification failed: ${bad.length} of ${r.backups.length} backup(s) damaged (${bad
            .map((b) => `${b.id}: ${b.problems[0]}${b.problems.length > 1 ? ` and ${b.problems.length - 1} more` : ''}`)
            .join('; ')})`,
        );
      }
    },
  );

  whereOpts(
    backup
      .command('drill')
      .description('restore the newest backup into a sandbox, check it, start Kefu on it; report RTO and RPO'),
  ).action(async (_o: Where, cmd: Command) => {
    const o = cmd.optsWithGlobals<Where>();
    const config = configFrom(cmd, io);
    const r = await onRepo(io, config, o, false, (repo) => runDrill(repo, { now, databaseUrl: config.databaseUrl }));
    out(o.json, r, () => [
      `drill of ${r.backupId ?? '(none)'}: ${r.ok ? 'OK' : 'FAILED'}`,
      `  RTO ${r.rtoMs ?? '-'} ms (restore ${r.restoreMs ?? '-'} ms, ready ${r.readyMs ?? '-'} ms), RPO ${r.rpoMs ?? '-'} ms`,
      ...r.problems.map((p) => `  problem: ${p}`),
    ]);
    if (!r.ok) fail(io, `drill of ${r.backupId ?? '(no backup)'} failed: ${r.problems.join('; ')}`);
  });

  whereOpts(
    backup
      .command('prune')
      .description('forget backups the retention policy does not keep, delete unreferenced chunks'),
  ).action(async (_o: Where, cmd: Command) => {
    const o = cmd.optsWithGlobals<Where>();
    const config = configFrom(cmd, io);
    const r = await onRepo(io, config, o, false, async (repo, s) =>
      prune(repo, await policyFor(config, o, s), config.backupTimeZone, now),
    );
    out(o.json, r, () => [
      `removed ${r.removed.length} backup(s), ${r.chunksRemoved} chunk(s); kept ${r.kept.length}${r.skipped ? ` (${r.skipped})` : ''}`,
    ]);
  });

  program
    .command('restore <id>')
    .description('restore a backup (an id, or "latest") into a new data folder or database')
    .option('--target <name>', 'a configured target')
    .option('--from <folder>', 'a local folder')
    .requiredOption(
      '--to <dest>',
      'a new data folder, or a postgres:// URL (PostgreSQL backups; attachments go to --files-to)',
    )
    .option(
      '--files-to <folder>',
      'PostgreSQL backups: the new data folder for the secret key and attachments (required when the backup holds them)',
    )
    .option(
      '--force',
      'replace what is at the destination: live Kefu data gets its writes stopped and a safety backup first (the old folder is kept beside it)',
    )
    .option('--json', 'print JSON')
    .action(async (id: string, o: Where & { to: string; filesTo?: string; force?: boolean }, cmd: Command) => {
      const config = configFrom(cmd, io);
      const isUrl = /^postgres(ql)?:\/\//.test(o.to);
      const folder = isUrl ? o.filesTo && resolvePath(io, o.filesTo) : resolvePath(io, o.to);
      const dest = { ...(isUrl ? { databaseUrl: o.to } : {}), ...(folder ? { folder } : {}) };
      const r: RestoreResult & Partial<LiveRestoreResult> = await onRepo(
        io,
        config,
        { ...o, to: undefined },
        false,
        async (repo) => {
          // Chosen before a safety backup is taken: "latest" is the newest backup before this command.
          const chosen = id === 'latest' ? (await repo.manifests()).items.at(-1) : await repo.manifest(id);
          if (!chosen) fail(io, `no backups on ${repo.target.describe}`);
          // Checked before anything is written (no safety backup, no pg_restore): without a folder
          // the key and attachments would be dropped and the restored data could not be decrypted.
          const lost = isUrl && !folder ? filesOutsideDatabase(chosen) : '';
          if (lost)
            fail(io, `${chosen.id} holds ${lost}: add --files-to FOLDER (a new data folder) so they are restored`);
          const schema = chosen.pgSchema && chosen.pgSchema !== 'public' ? chosen.pgSchema : undefined;
          if (!o.force || !(await holdsKefuData(dest, schema)))
            return restoreBackup(repo, chosen, dest, { force: o.force, now });
          const live: Config = isUrl
            ? { ...config, databaseUrl: o.to, dataDir: folder ?? config.dataDir }
            : { ...config, databaseUrl: undefined, dataDir: folder! };
          if (!live.secretKey && !existsSync(join(live.dataDir, 'secret.key')))
            fail(
              io,
              `${live.dataDir} holds no secret.key: give --files-to the installation's data folder, so the safety backup holds its key`,
            );
          return withServices(live, (s) => restoreOverLive(repo, chosen, dest, s, { now }), { pgSchema: schema });
        },
      );
      const from = o.target ? `--target ${o.target}` : `--from ${o.from}`;
      out(o.json, r, () => [
        ...(r.safetyBackupId
          ? [
              `writes stopped; safety backup ${r.safetyBackupId} of the replaced data taken (to go back: kefu restore ${r.safetyBackupId} ${from} --to ${o.to}${isUrl && o.filesTo ? ` --files-to ${o.filesTo}` : ''} --force)`,
            ]
          : []),
        `restored ${r.id} (${mib(r.bytes)}) in ${r.durationMs} ms${r.folder ? ` into ${r.folder}` : ''}${r.moved ? `; the previous folder is now ${r.moved}` : ''}`,
        r.safetyBackupId && !isUrl
          ? 'servers still running on this folder keep the previous database open and refuse writes: restart them'
          : r.folder
            ? `start it with: kefu start --data-dir ${r.folder}`
            : 'point DATABASE_URL at the restored database and start Kefu',
      ]);
    });
}

/** What a PostgreSQL backup holds besides the dump ('' when nothing): these files need `--files-to`. */
function filesOutsideDatabase(m: Manifest): string {
  const files = m.files.filter((f) => f.kind !== 'pgdump' && f.kind !== 'sqlite');
  if (!files.length) return '';
  const key = files.filter((f) => f.kind === 'key').map((f) => f.path);
  const others = files.length - key.length;
  return [...key, ...(others ? [`${others} other file(s) (attachments)`] : [])].join(' and ');
}

function resolvePath(io: CliIo, p: string): string {
  return p.startsWith('/') ? p : `${io.cwd}/${p}`;
}
