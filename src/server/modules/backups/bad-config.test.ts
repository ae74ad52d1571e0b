/**
 * Bad configuration fails the nightly backup with one clear line per target and raises the gauge
 * the `BackupFailed` rule reads (`kefu_backup_run_failed`, metrics.ts; the rule firing on it is
 * monitoring/default-rules.test.ts, and end to end with a real process alerts*.test.ts), with
 * nothing written to the target. On both engines, against real servers: a folder target whose
 * stored path became invalid, an SFTP target with no way to log in, an SFTP server whose host key
 * is not the pinned one (a real OpenSSH server), and an S3 bucket that does not exist (s3rver, an
 * S3 emulator for tests). A backup key under 32 characters is refused before anything starts
 * (cli-keys.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3rver, type S3Emulator } from '../../testing/s3rver.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../lib/jobs/queue.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { startSshd, type Sshd } from '../../testing/sshd.ts';
import { backupJobs } from './jobs.ts';
import { latestOutcomes } from './metrics.ts';
import { own } from './schema.ts';
import { listRuns, saveTarget } from './service.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kefu-bk-badconf-'));
  dirs.push(d);
  return d;
};
let sshd: Sshd;
let s3: S3Emulator;
let endpoint: string;
beforeAll(async () => {
  sshd = await startSshd();
  s3 = await startS3rver();
  endpoint = s3.endpoint;
}, 120_000);
afterAll(async () => {
  await sshd?.stop();
  await s3?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(engines)('bad backup configuration on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('fails each target with one clear line and the BackupFailed gauge, writing nothing', async () => {
    t = await testApp(engine, { config: { backupKey: 'bad configuration test backup key, long enough' } });
    await t.workspace('vendor', { installationOwner: true });
    const sftp = (path: string) => ({ host: '127.0.0.1', port: sshd.port, username: sshd.username, path });

    // A folder target whose stored path became relative (edited in the database).
    const folder = tmp();
    const nas = await saveTarget(t.s, null, { kind: 'local', name: 'nas', settings: { path: folder } });
    await own(t.s.db)
      .updateTable('backup_targets')
      .set({ settings: JSON.stringify({ path: 'backups/kefu' }) })
      .where('id', '=', nas.id)
      .execute();
    // An SFTP target with no password and no private key.
    await saveTarget(t.s, null, { kind: 'sftp', name: 'sftp-nologin', settings: sftp(join(sshd.root, 'a')) });
    // An SFTP server that does not offer the pinned host key (another server answers at that address).
    const moved = await saveTarget(t.s, null, {
      kind: 'sftp',
      name: 'sftp-moved',
      settings: sftp(join(sshd.root, 'b')),
      secrets: { privateKey: sshd.privateKey },
    });
    const pinned = `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
    await own(t.s.db).updateTable('backup_targets').set({ host_key: pinned }).where('id', '=', moved.id).execute();
    // An S3 bucket that does not exist.
    await saveTarget(t.s, null, {
      kind: 's3',
      name: 's3-nobucket',
      settings: { endpoint, bucket: 'no-such-bucket', accessKeyId: 'S3RVER', pathStyle: true },
      secrets: { secretAccessKey: 'S3RVER' },
    });

    await backupJobs['backups.nightly']({ payload: {} } as Job, t.s);

    const runs = await listRuns(t.s, { kind: 'backup' });
    const targets = new Map(
      (await allTables(t.s).selectFrom('backup_targets').select(['id', 'name']).execute()).map((r) => [r.id, r.name]),
    );
    const errors = Object.fromEntries(runs.map((r) => [targets.get(r.targetId!)!, r]));
    expect(Object.values(errors).map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(errors.nas.error).toBe('nas: bad configuration: settings.path: an absolute path');
    expect(errors['sftp-nologin'].error).toBe(
      'sftp-nologin: bad configuration: neither a password nor a private key to log in with',
    );
    expect(errors['sftp-moved'].error).toMatch(
      new RegExp(
        `^sftp://${sshd.username}@127\\.0\\.0\\.1:${sshd.port}${join(sshd.root, 'b')}: the server's host key changed \\(pinned ${pinned.replace(/[+/]/g, '\\$&')}, offered SHA256:`,
      ),
    );
    expect(errors['s3-nobucket'].error).toMatch(/^s3:\/\/no-such-bucket\/.*NoSuchBucket/);
    for (const r of runs) expect(r.error).not.toContain('\n');
    expect(JSON.stringify(runs)).not.toContain(sshd.privateKey.slice(40, 80));
    // Nothing written anywhere.
    expect(existsSync(join(sshd.root, 'a'))).toBe(false);
    expect(existsSync(join(sshd.root, 'b'))).toBe(false);
    expect(existsSync(join(folder, 'config'))).toBe(false);

    // The gauge the BackupFailed rule reads: 1 for each of them.
    const outcomes = (await latestOutcomes(t.s)).filter((o) => o.kind === 'backup');
    expect(outcomes.sort((a, b) => (a.target < b.target ? -1 : 1))).toEqual([
      { target: 'nas', kind: 'backup', failed: true, damaged: false },
      { target: 's3-nobucket', kind: 'backup', failed: true, damaged: false },
      { target: 'sftp-moved', kind: 'backup', failed: true, damaged: false },
      { target: 'sftp-nologin', kind: 'backup', failed: true, damaged: false },
    ]);
    const failed = await allTables(t.s)
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'backup.failed')
      .execute();
    expect(failed.filter((e) => String(e.data).includes('"kind":"backup"'))).toHaveLength(4);
  }, 240_000);
});
