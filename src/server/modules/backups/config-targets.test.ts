/**
 * Targets defined in the config file (`backupTargets`): loaded and validated with the config (a
 * secret from the environment; a missing variable is a config error naming its path), written into
 * the targets table with their secrets encrypted, usable by name (`kefu backup --target NAME`), and
 * listed in the console marked "from config" but not changeable there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { processTimeout, sandbox, workspace } from './cli-testing.ts';
import { syncConfigTargets } from './config-targets.ts';

const secret = 'config-file-secret-access-key-42';
const targets = (folder: string) => [
  { kind: 'local', name: 'cfg-nas', settings: { path: folder }, retention: { daily: 3, weekly: 1, monthly: 1 } },
  {
    kind: 's3',
    name: 'cfg-oss',
    offsite: true,
    settings: { endpoint: 'http://127.0.0.1:9', bucket: 'kefu-backups', accessKeyId: 'AKID', pathStyle: true },
    secrets: { secretAccessKey: { env: 'KEFU_TEST_OSS_SECRET' } },
  },
];

describe('backup targets from the config file', () => {
  it(
    'kefu backup --target NAME backs up to a target defined in the config file',
    async () => {
      const { dir, run } = sandbox();
      const nas = join(dir, 'nas');
      mkdirSync(nas);
      writeFileSync(join(dir, 'kefu.config.json'), JSON.stringify({ backupTargets: targets(nas) }));
      const env = { KEFU_BACKUP_KEY: 'c'.repeat(40), KEFU_TEST_OSS_SECRET: secret };
      const data = ['--data-dir', join(dir, 'data')];

      const missing = await run([...data, 'backup', '--target', 'cfg-nas'], { ...env, KEFU_TEST_OSS_SECRET: '' });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain(
        'backupTargets.1.secrets.secretAccessKey: the environment variable KEFU_TEST_OSS_SECRET is not set',
      );

      await workspace(run, data, env);
      const b = await run([...data, 'backup', '--target', 'cfg-nas', '--json'], env);
      expect(b.stderr).toBe('');
      const { id } = JSON.parse(b.stdout) as { id: string };
      const list = JSON.parse((await run([...data, 'backup', 'list', '--target', 'cfg-nas', '--json'], env)).stdout);
      expect(list.items.map((i: { id: string }) => i.id)).toEqual([id]);
      const verify = await run(['backup', 'verify', '--from', nas, '--json'], env);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, backups: [{ id, ok: true }] });

      const db = new DatabaseSync(join(dir, 'data', 'kefu.db'), { readOnly: true });
      const rows = db.prepare('select name, source, secrets_enc, retention from backup_targets order by name').all();
      db.close();
      expect(rows.map((r) => [r.name, r.source])).toEqual([
        ['cfg-nas', 'config'],
        ['cfg-oss', 'config'],
      ]);
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(rows[1].secrets_enc).toBeTruthy();
      expect(JSON.parse(String(rows[0].retention))).toEqual({ daily: 3, weekly: 1, monthly: 1 });
    },
    processTimeout,
  );
});

describe.each(engines)('config targets in the console on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('lists them marked "from config", refuses to change them, and follows the file', async () => {
    const [nas, oss] = targets('/srv/backups/kefu');
    // A secret written in the file itself (the other test reads one from the environment).
    t = await testApp(engine, { config: { backupTargets: [nas, { ...oss, secrets: { secretAccessKey: secret } }] } });
    await syncConfigTargets(t.s);
    await syncConfigTargets(t.s); // twice: nothing changes
    const { owner } = await t.workspace('vendor', { installationOwner: true });
    const list = (await owner.get('/api/backups/targets')).json().items;
    expect(list).toMatchObject([
      { name: 'cfg-nas', fromConfig: true, effectiveRetention: { daily: 3, weekly: 1, monthly: 1 } },
      { name: 'cfg-oss', fromConfig: true, offsite: true, secrets: ['secretAccessKey'] },
    ]);
    expect(JSON.stringify(list)).not.toContain(secret);
    const put = await owner.request({
      method: 'PUT',
      url: `/api/backups/targets/${list[0].id}`,
      payload: { kind: 'local', name: 'cfg-nas', settings: { path: '/tmp/elsewhere' } },
    });
    expect([put.statusCode, put.json().error.code]).toEqual([409, 'config_target']);
    expect((await owner.del(`/api/backups/targets/${list[0].id}`)).statusCode).toBe(409);

    // Removed from the file: gone at the next start.
    t.s.config.backupTargets.splice(1, 1);
    await syncConfigTargets(t.s);
    expect((await owner.get('/api/backups/targets')).json().items.map((x: { name: string }) => x.name)).toEqual([
      'cfg-nas',
    ]);
  });
});
