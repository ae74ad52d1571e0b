/**
 * `kefu restore … --to postgres://…` needs `--files-to` (issue 13): a PostgreSQL backup holds the
 * installation's secret key (and attachments) beside the dump, and a restore that dropped them
 * would give a database whose encrypted data can no longer be read. Through the real `kefu`
 * process: without the flag the restore is refused with one line naming `--files-to FOLDER`, exit
 * 2, before anything is written (no tables in the new database; over live data, no safety backup
 * and the live tables untouched); with it the key lands in the folder, byte for byte; a backup
 * that holds no files at all restores without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgUrl } from '../../testing/harness.ts';
import { newDatabase, processTimeout, sandbox, workspace } from './cli-testing.ts';
import { openRepo } from './repo.ts';
import { localTarget } from './targets/local.ts';
import { tablesIn } from '../../testing/pg-database.ts';

const key = 'files-to test backup key, long enough!';
const env = { KEFU_BACKUP_KEY: key };

function refusedForFiles(r: { code: number | null; stdout: string; stderr: string }, id: string) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toEqual([
    expect.stringMatching(new RegExp(`^kefu: ${id} holds secret\\.key.*: add --files-to FOLDER .+$`)),
    '',
  ]);
}

describe.runIf(pgUrl)('kefu restore into PostgreSQL and the backup files', () => {
  it(
    'without --files-to: refused (one line, exit 2) before anything is written; with it secret.key lands in the folder',
    async () => {
      const { dir, run, spawnRun } = sandbox();
      const live = await newDatabase();
      const dataDir = join(dir, 'data');
      const data = ['--data-dir', dataDir, '--database-url', live];
      await workspace(run, data);
      const b = await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env);
      expect([b.code, b.stderr]).toEqual([0, '']);
      const id = (JSON.parse(b.stdout) as { id: string }).id;
      const repo = await openRepo(localTarget(join(dir, 'b')), key, { create: false, now: new Date() });
      const m = await repo.manifest(id);
      expect(m.files.map((f) => f.kind)).toEqual(expect.arrayContaining(['pgdump', 'key']));

      // A new database: nothing restored into it.
      const target = await newDatabase();
      refusedForFiles(await spawnRun(['restore', 'latest', '--from', join(dir, 'b'), '--to', target], env), id);
      expect(await tablesIn(target)).toBe(0);

      // Over the live database with --force: no safety backup taken, the live tables still there.
      const liveTables = await tablesIn(live);
      expect(liveTables).toBeGreaterThan(0);
      refusedForFiles(await spawnRun(['restore', id, '--from', join(dir, 'b'), '--to', live, '--force'], env), id);
      expect((await repo.manifests()).items.map((x) => x.id)).toEqual([id]);
      expect(await tablesIn(live)).toBe(liveTables);

      // With --files-to: the restore runs and the key is in the folder, the same bytes as the installation's.
      const files = join(dir, 'files');
      const ok = await spawnRun(
        ['restore', 'latest', '--from', join(dir, 'b'), '--to', target, '--files-to', files],
        env,
      );
      expect([ok.code, ok.stderr]).toEqual([0, '']);
      expect(existsSync(join(files, 'secret.key'))).toBe(true);
      expect(readFileSync(join(files, 'secret.key'))).toEqual(readFileSync(join(dataDir, 'secret.key')));
      expect(await tablesIn(target)).toBe(liveTables);

      // A backup that holds no files besides the dump: nothing to lose, no folder needed.
      await repo.putManifest({ ...m, files: m.files.filter((f) => f.kind === 'pgdump') });
      const bare = await newDatabase();
      const r = await spawnRun(['restore', id, '--from', join(dir, 'b'), '--to', bare], env);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(/point DATABASE_URL at the restored database/);
      expect(await tablesIn(bare)).toBe(liveTables);
    },
    processTimeout,
  );
});
