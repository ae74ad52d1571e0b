/**
 * The command line's failure contract (issue 13), through the real `kefu` process: a wrong key, a
 * missing target and a damaged chunk each give exactly one line on standard error naming the
 * reason and exit status 2, and leave nothing at the destination (the folder absent, no staging
 * folder beside it; a PostgreSQL destination without tables).
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgUrl } from '../../testing/harness.ts';
import { newDatabase, processTimeout, sandbox, workspace } from './cli-testing.ts';
import { openRepo } from './repo.ts';
import { localTarget } from './targets/local.ts';
import { tablesIn } from '../../testing/pg-database.ts';

const key = 'f'.repeat(40);
const env = { KEFU_BACKUP_KEY: key };

/** A backed-up installation (SQLite, or PostgreSQL at `databaseUrl`) in a fresh sandbox folder. */
async function installation(databaseUrl?: string) {
  const box = sandbox();
  const data = ['--data-dir', join(box.dir, 'data'), ...(databaseUrl ? ['--database-url', databaseUrl] : [])];
  await workspace(box.run, data);
  const b = await box.run([...data, 'backup', '--to', join(box.dir, 'b'), '--json'], env);
  expect([b.code, b.stderr]).toEqual([0, '']);
  return { ...box, data, backupId: (JSON.parse(b.stdout) as { id: string }).id };
}

/** Flips one byte inside a chunk of the backup's database file (its authentication tag then fails). */
async function damageDatabaseChunk(folder: string): Promise<string> {
  const repo = await openRepo(localTarget(folder), key, { create: false, now: new Date() });
  const m = (await repo.manifests()).items.at(-1)!;
  const id = m.files.find((f) => f.kind === 'sqlite' || f.kind === 'pgdump')!.chunks[0];
  const file = join(folder, 'chunks', id.slice(0, 2), id);
  const box = readFileSync(file);
  box[box.length >> 1] ^= 0x40;
  writeFileSync(file, box);
  return id;
}

/** One line on stderr, exit 2, nothing on stdout. */
function failedWith(r: { code: number | null; stdout: string; stderr: string }, reason: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr.split('\n')).toEqual([expect.stringMatching(reason), '']);
  expect(r.stdout).toBe('');
}

/** Nothing at the destination folder and no staging folder beside it. */
function nothingAt(dir: string, dest: string) {
  expect(existsSync(dest)).toBe(false);
  expect(readdirSync(dir).filter((n) => n.startsWith('.kefu-restore-'))).toEqual([]);
}

describe('kefu restore and kefu backup verify fail with one line and exit 2', () => {
  it(
    'a wrong key, a missing target, a damaged chunk: one line, exit 2, nothing at the destination',
    async () => {
      const { dir, spawnRun, data } = await installation();
      const dest = join(dir, 'r');
      const restore = (from: string[], e: NodeJS.ProcessEnv = env) =>
        spawnRun(['restore', 'latest', ...from, '--to', dest], e);

      const wrongKey = await restore(['--from', join(dir, 'b')], { KEFU_BACKUP_KEY: 'w'.repeat(40) });
      failedWith(wrongKey, new RegExp(`^kefu: wrong backup key for folder ${join(dir, 'b')}$`));
      nothingAt(dir, dest);

      const noFolder = await restore(['--from', join(dir, 'nowhere')]);
      failedWith(noFolder, /^kefu: folder .*nowhere: no Kefu backups there$/);
      nothingAt(dir, dest);

      const noTarget = await restore([...data, '--target', 'offsite-nas']);
      failedWith(noTarget, /^kefu: no backup target named offsite-nas$/);
      nothingAt(dir, dest);

      const chunk = await damageDatabaseChunk(join(dir, 'b'));
      const damaged = await restore(['--from', join(dir, 'b')]);
      failedWith(damaged, new RegExp(`^kefu: chunk ${chunk}: .+$`));
      nothingAt(dir, dest);

      const verify = await spawnRun(['backup', 'verify', '--from', join(dir, 'b')], env);
      expect(verify.code).toBe(2);
      expect(verify.stderr.split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^kefu: verification failed: 1 of 1 backup\\(s\\) damaged .*chunk ${chunk}`)),
        '',
      ]);
      const json = await spawnRun(['backup', 'verify', '--from', join(dir, 'b'), '--json'], env);
      expect(json.code).toBe(2);
      expect(json.stderr.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, backups: [{ ok: false }] });
    },
    processTimeout,
  );

  it.runIf(pgUrl)(
    'PostgreSQL: a damaged chunk, or counts that differ after pg_restore, leave the new database without tables',
    async () => {
      const { dir, spawnRun } = await installation(await newDatabase());
      const target = await newDatabase();
      const files = join(dir, 'files');
      const restore = () =>
        spawnRun(['restore', 'latest', '--from', join(dir, 'b'), '--to', target, '--files-to', files], env);

      // pg_restore runs and fills the database, then the row counts differ from the manifest's.
      const repo = await openRepo(localTarget(join(dir, 'b')), key, { create: false, now: new Date() });
      const m = (await repo.manifests()).items.at(-1)!;
      await repo.putManifest({ ...m, tables: { ...m.tables, users: m.tables.users + 1 } });
      const counts = await restore();
      failedWith(
        counts,
        new RegExp(
          `^kefu: row counts differ: users: ${m.tables.users} rows, the backup recorded ${m.tables.users + 1}$`,
        ),
      );
      nothingAt(dir, files);
      expect(await tablesIn(target)).toBe(0);

      await repo.putManifest(m);
      const chunk = await damageDatabaseChunk(join(dir, 'b'));
      failedWith(await restore(), new RegExp(`^kefu: chunk ${chunk}: .+$`));
      nothingAt(dir, files);
      expect(await tablesIn(target)).toBe(0);
    },
    processTimeout,
  );
});
