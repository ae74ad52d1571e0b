/**
 * `kefu restore --force` over live data, with a server running on it: without --force a one-line
 * refusal and exit 2; with it, writes stop first (the running server answers 503), a safety backup
 * of the live data (holding what was written since the restored backup, taken after the stop) goes
 * to the same folder and its id is printed, then the backup is restored. SQLite: a data folder;
 * PostgreSQL: an existing database URL.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { closeServices, createServices } from '../../services.ts';
import { pgUrl } from '../../testing/harness.ts';
import { cleanups, newDatabase, processTimeout, sandbox, workspace, type Run } from './cli-testing.ts';
import { openRepo } from './repo.ts';
import { localTarget } from './targets/local.ts';

const key = 'f'.repeat(40);
const env = { KEFU_BACKUP_KEY: key };

/** A Kefu server on the live data (as `kefu start` would run it), closed after the test. */
async function liveServer(dataDir: string, databaseUrl?: string): Promise<FastifyInstance> {
  const { config } = loadConfig({ env: {}, flags: { dataDir, databaseUrl, logLevel: 'silent', demo: false } });
  const s = createServices(config);
  const app = await buildApp(s, { serveConsole: false, realtime: false });
  await app.ready();
  cleanups.push(async () => {
    await app.close();
    await closeServices(s);
  });
  return app;
}

/** A write (refused as unauthenticated, or 503 while writes are stopped; not rate-limited as sign-in is). */
const write = (app: FastifyInstance) =>
  app.inject({ method: 'POST', url: '/api/conversation-labels', payload: { name: 'x', color: 'blue' } });

/** Polls a write on the live server while `during` runs; the time the first 503 was seen. */
async function watchWrites(app: FastifyInstance, during: Promise<unknown>) {
  let done = false;
  let first503: number | null = null;
  let reason = '';
  void during.finally(() => (done = true));
  while (!done) {
    const r = await write(app);
    if (r.statusCode === 503 && first503 === null) {
      first503 = Date.now();
      reason = r.json().error.code as string;
    }
    await new Promise((res) => setTimeout(res, 25));
  }
  return { first503, reason };
}

async function addUser(run: Run, data: string[], email: string, name: string) {
  const r = await run(
    [...data, 'user', 'create', '--email', email, '--name', name, '--role', 'agent', '--workspace', 'demo'],
    env,
  );
  expect(r.stderr).toBe('');
}

async function safetyManifest(folder: string, id: string) {
  const target = localTarget(folder);
  try {
    return await (await openRepo(target, key, { create: false, now: new Date() })).manifest(id);
  } finally {
    await target.close();
  }
}

describe('kefu restore --force over live data', () => {
  it(
    'SQLite: refuses without --force; with it stops writes, takes a safety backup, restores',
    async () => {
      const { dir, run } = sandbox();
      const live = join(dir, 'live');
      const data = ['--data-dir', live];
      const b = join(dir, 'b');
      await workspace(run, data);
      const first = JSON.parse((await run([...data, 'backup', '--to', b, '--json'], env)).stdout) as { id: string };
      await addUser(run, data, 'late@example.com', '备份后的用户');
      const app = await liveServer(live);

      const refused = await run(['restore', 'latest', '--from', b, '--to', live], env);
      expect([refused.code, refused.stderr]).toEqual([
        2,
        expect.stringMatching(/^kefu: .*holds Kefu data.*--force.*\n$/),
      ]);
      expect((await write(app)).statusCode).toBe(401);

      const t0 = Date.now();
      const restoring = run(['restore', 'latest', '--from', b, '--to', live, '--force', '--json'], env);
      const watched = await watchWrites(app, restoring);
      const r = await restoring;
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { id: string; safetyBackupId: string; moved: string };
      expect(out.id).toBe(first.id); // "latest" is the newest backup before the safety one
      expect(out.safetyBackupId).toMatch(/\S/);
      expect(out.safetyBackupId).not.toBe(first.id);
      // The running server refused writes before the safety backup's consistency point.
      expect(watched.reason).toBe('writes_stopped');
      expect(watched.first503).toBeGreaterThanOrEqual(t0);
      const safety = await safetyManifest(b, out.safetyBackupId);
      expect(safety.reason).toBe('safety');
      expect(Date.parse(safety.consistencyAt)).toBeGreaterThan(watched.first503!);
      // That server still has the previous database open: it keeps refusing writes until restarted.
      expect((await write(app)).statusCode).toBe(503);

      const users = (folder: string) => {
        const db = new DatabaseSync(join(folder, 'kefu.db'), { readOnly: true });
        try {
          return {
            names: db
              .prepare('select name from users')
              .all()
              .map((u) => u.name),
            stops: db.prepare('select count(*) as n from backup_write_stop').get()!.n,
          };
        } finally {
          db.close();
        }
      };
      expect(users(live).names).not.toContain('备份后的用户');
      expect(users(live).stops).toBe(0);
      // The safety backup holds what the restore replaced, and restores with writes allowed.
      const back = await run(['restore', out.safetyBackupId, '--from', b, '--to', join(dir, 'back')], env);
      expect(back.stderr).toBe('');
      expect(users(join(dir, 'back'))).toEqual({ names: expect.arrayContaining(['备份后的用户']), stops: 0 });
      expect(users(out.moved).names).toContain('备份后的用户');

      const text = await run(['restore', first.id, '--from', b, '--to', live, '--force'], env);
      expect(text.stdout).toMatch(/^writes stopped; safety backup \S+ of the replaced data taken/);
      expect(text.stdout).toContain('restart them');
    },
    processTimeout,
  );

  it.runIf(pgUrl)(
    'PostgreSQL: over an existing database, writes stop, a safety backup is taken, then the restore',
    async () => {
      const { dir, run } = sandbox();
      const url = await newDatabase();
      const files = join(dir, 'live');
      const data = ['--data-dir', files, '--database-url', url];
      const b = join(dir, 'b');
      await workspace(run, data);
      const first = JSON.parse((await run([...data, 'backup', '--to', b, '--json'], env)).stdout) as { id: string };
      await addUser(run, data, 'late@example.com', '备份后的用户');
      const app = await liveServer(files, url);

      const refused = await run(['restore', 'latest', '--from', b, '--to', url, '--files-to', join(dir, 'new')], env);
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/^kefu: .*already has tables.*\n$/)]);

      const t0 = Date.now();
      const restoring = run(
        ['restore', 'latest', '--from', b, '--to', url, '--files-to', files, '--force', '--json'],
        env,
      );
      const watched = await watchWrites(app, restoring);
      const r = await restoring;
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { id: string; safetyBackupId: string };
      expect(out.id).toBe(first.id);
      expect(watched.reason).toBe('writes_stopped');
      expect(watched.first503).toBeGreaterThanOrEqual(t0);
      const safety = await safetyManifest(b, out.safetyBackupId);
      expect([safety.reason, safety.engine]).toEqual(['safety', 'postgres']);
      expect(Date.parse(safety.consistencyAt)).toBeGreaterThan(watched.first503!);

      const names = async (u: string) => {
        const c = new pg.Client({ connectionString: u });
        await c.connect();
        try {
          return (await c.query<{ name: string }>('select name from users')).rows.map((x) => x.name);
        } finally {
          await c.end();
        }
      };
      expect(await names(url)).not.toContain('备份后的用户');
      // The restored database carries no stop: the server on it writes again (after its cache).
      const t1 = Date.now();
      let status = 503;
      while (status === 503 && Date.now() - t1 < 10_000) {
        status = (await write(app)).statusCode;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(status).toBe(401);
      const other = await newDatabase();
      const back = await run(
        ['restore', out.safetyBackupId, '--from', b, '--to', other, '--files-to', join(dir, 'back')],
        env,
      );
      expect(back.stderr).toBe('');
      expect(await names(other)).toContain('备份后的用户');
    },
    processTimeout,
  );
});
