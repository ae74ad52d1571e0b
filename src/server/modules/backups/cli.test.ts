/**
 * The command line end to end (issue 13's "done means"): a key, a backup to a folder, a change, a
 * second backup that stores little, a restore into a new folder, a drill that starts a real Kefu on
 * its sandbox. Failures are one line and exit 2. A backup killed with SIGKILL midway lists nothing;
 * the next run completes and reuses the chunks already written. PostgreSQL: the same through an
 * installation's own database (the `public` schema) into a new database.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgUrl } from '../../testing/harness.ts';
import { api, signInHttp, startKefuProcess } from '../../testing/spawn.ts';
import { newDatabase, processTimeout, sandbox, workspace } from './cli-testing.ts';

describe('kefu backup and kefu restore', () => {
  it(
    'key init, backup, change, small second backup, restore into a new folder, drill on a real instance',
    async () => {
      const { dir, run, spawnRun } = sandbox();
      const init = await spawnRun(['backup', 'key', 'init']);
      expect(init.code).toBe(0);
      const key = init.stdout.split('\n')[0];
      expect(key).toMatch(/^[\w-]{43}$/);
      expect(init.stdout).toContain('AWAY from this server');
      const env = { KEFU_BACKUP_KEY: key };
      const data = ['--data-dir', join(dir, 'data')];

      const none = await run([...data, 'backup', '--to', join(dir, 'b')], { KEFU_BACKUP_KEY: '' });
      expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/^kefu: no backup key: .*\n$/)]);

      await workspace(run, data);
      // Shoppers' files: the bulk of a real installation, unchanged from one backup to the next.
      mkdirSync(join(dir, 'data', 'attachments'), { recursive: true });
      writeFileSync(join(dir, 'data', 'attachments', 'invoice.pdf'), randomBytes(2_000_000));
      await run(
        [
          ...data,
          'user',
          'create',
          '--email',
          'a@example.com',
          '--name',
          'A',
          '--role',
          'agent',
          '--workspace',
          'demo',
        ],
        env,
      );
      const first = await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env);
      expect(first.stderr).toBe('');
      const a = JSON.parse(first.stdout) as { id: string; bytes: number; storedBytes: number; durationMs: number };
      expect(a.bytes).toBeGreaterThan(100_000);
      for (let i = 0; i < 5; i++)
        await run(
          [
            ...data,
            'user',
            'create',
            '--email',
            `u${i}@example.com`,
            '--name',
            `用户${i}`,
            '--role',
            'agent',
            '--workspace',
            'demo',
          ],
          env,
        );
      const b = JSON.parse((await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env)).stdout) as typeof a;
      expect(a.storedBytes).toBeGreaterThan(2_000_000);
      expect(b.storedBytes).toBeLessThan(a.storedBytes / 10);

      const list = JSON.parse((await run(['backup', 'list', '--from', join(dir, 'b'), '--json'], env)).stdout) as {
        items: { id: string; keep: string[] }[];
      };
      expect(list.items.map((i) => i.id)).toEqual([b.id, a.id]);
      expect(list.items[0].keep).toEqual(['last', 'daily', 'weekly', 'monthly']);

      const verify = await run(['backup', 'verify', '--from', join(dir, 'b'), '--json'], env);
      expect(JSON.parse(verify.stdout)).toMatchObject({
        ok: true,
        backups: [
          { id: a.id, ok: true },
          { id: b.id, ok: true },
        ],
      });

      const restored = await run(['restore', 'latest', '--from', join(dir, 'b'), '--to', join(dir, 'r')], env);
      expect(restored.stderr).toBe('');
      expect(restored.stdout).toContain(`restored ${b.id}`);
      const again = await run(['restore', 'latest', '--from', join(dir, 'b'), '--to', join(dir, 'r')], env);
      expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('is not empty')]);
      const db = new DatabaseSync(join(dir, 'r', 'kefu.db'), { readOnly: true });
      expect(
        db
          .prepare('select name from users order by name')
          .all()
          .map((r) => r.name),
      ).toContain('用户4');
      db.close();
      // A working Kefu on the restored folder (the "done means"): it starts, is ready, the
      // workspace owner signs in and the users made before the second backup are there.
      const kefu = await startKefuProcess({ dataDir: join(dir, 'r'), env });
      try {
        const owner = await signInHttp(kefu.url, 'owner@example.com', 'owner-password-1');
        const users = await api<{ items: { name: string }[] }>(kefu.url, owner, 'GET', '/api/users');
        expect(users.items.map((u) => u.name)).toEqual(expect.arrayContaining(['A', '用户0', '用户4']));
      } finally {
        await kefu.stop();
      }

      const drill = JSON.parse((await run(['backup', 'drill', '--from', join(dir, 'b'), '--json'], env)).stdout) as {
        ok: boolean;
        backupId: string;
        rtoMs: number;
        rpoMs: number;
        tables: { name: string; expected: number; restored: number; ok: boolean }[];
        checksums: string;
        sandbox: { readyzStatus: number; writeRefused: boolean; unchanged: boolean };
      };
      expect(drill).toMatchObject({ ok: true, backupId: b.id });
      expect(drill.rtoMs).toBeGreaterThan(0);
      expect(drill.rpoMs).toBeGreaterThanOrEqual(0);
      expect(drill.tables.find((t) => t.name === 'users')).toMatchObject({
        name: 'users',
        expected: 7,
        restored: 7,
        expectedChecksum: expect.stringMatching(/^[0-9a-f]{64}$/),
        ok: true,
      });
      expect(drill.checksums).toBe('compared');
      expect(drill.sandbox).toMatchObject({ readyzStatus: 200, writeRefused: true, unchanged: true });

      const wrong = await run(['backup', 'list', '--from', join(dir, 'b')], { KEFU_BACKUP_KEY: 'x'.repeat(40) });
      expect([wrong.code, wrong.stderr]).toEqual([2, `kefu: wrong backup key for folder ${join(dir, 'b')}\n`]);
      const missing = await run(['backup', 'verify', '--from', join(dir, 'nothing')], env);
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('no Kefu backups there')]);
    },
    processTimeout,
  );

  it(
    'a backup killed midway lists nothing; the next run completes and reuses what was written',
    async () => {
      const { dir, run, spawnRun } = sandbox();
      const env = { KEFU_BACKUP_KEY: 'k'.repeat(40) };
      const data = ['--data-dir', join(dir, 'data')];
      await workspace(run, data);
      const killed = await spawnRun([...data, 'backup', '--to', join(dir, 'b')], {
        ...env,
        KEFU_FAULT: 'crash-during-backup:3',
      });
      expect(killed.signal).toBe('SIGKILL');
      const list = await run(['backup', 'list', '--from', join(dir, 'b'), '--json'], env);
      expect(JSON.parse(list.stdout)).toEqual({ items: [] });
      const next = JSON.parse((await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env)).stdout) as {
        bytes: number;
        storedBytes: number;
      };
      const fresh = JSON.parse((await run([...data, 'backup', '--to', join(dir, 'c'), '--json'], env)).stdout) as {
        storedBytes: number;
      };
      // The killed run's three chunks were reused, not written again.
      expect(next.storedBytes).toBeLessThan(fresh.storedBytes);
      expect((await run(['backup', 'verify', '--from', join(dir, 'b')], env)).code).toBe(0);
    },
    processTimeout,
  );

  it.runIf(pgUrl)(
    'PostgreSQL: backs up an installation database and restores it into a new database',
    async () => {
      const { dir, run } = sandbox();
      const env = { KEFU_BACKUP_KEY: 'p'.repeat(40) };
      const source = await newDatabase();
      const data = ['--data-dir', join(dir, 'data'), '--database-url', source];
      await workspace(run, data);
      await run(
        [
          ...data,
          'user',
          'create',
          '--email',
          'pg@example.com',
          '--name',
          '数据库用户',
          '--role',
          'agent',
          '--workspace',
          'demo',
        ],
        env,
      );
      const backup = await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env);
      expect(backup.stderr).toBe('');
      const target = await newDatabase();
      const restored = await run(
        ['restore', 'latest', '--from', join(dir, 'b'), '--to', target, '--files-to', join(dir, 'files')],
        env,
      );
      expect(restored.stderr).toBe('');
      const c = new pg.Client({ connectionString: target });
      await c.connect();
      expect((await c.query('select name from users')).rows.map((r: { name: string }) => r.name)).toContain(
        '数据库用户',
      );
      await c.end();
      const over = await run(
        ['restore', 'latest', '--from', join(dir, 'b'), '--to', target, '--files-to', join(dir, 'files2')],
        env,
      );
      expect([over.code, over.stderr]).toEqual([2, expect.stringContaining('already has tables')]);
    },
    processTimeout,
  );
});
