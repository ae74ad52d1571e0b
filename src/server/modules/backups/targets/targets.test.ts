/**
 * The three kinds of target against real servers: a folder, a real OpenSSH server (SFTP by key and
 * by password, host key pinned on first use and a changed key refused), and S3 through s3rver — an S3 emulator for tests
 * (not Amazon). Each holds a backup that restores, and a corrupted chunk on one target does not
 * stop a restore from another.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3rver, type S3Emulator } from '../../../testing/s3rver.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { passwordLoginsRun, startSshd, type Sshd } from '../../../testing/sshd.ts';
import { testApp, type TestApp } from '../../../testing/harness.ts';
import { createBackup } from '../engine.ts';
import { listBackups } from '../operations.ts';
import { policyOf } from '../retention.ts';
import { openRepo } from '../repo.ts';
import { restoreBackup } from '../restore.ts';
import { sourceOf } from '../source.ts';
import { verifyRepo } from '../verify.ts';
import { localTarget } from './local.ts';
import { s3Target } from './s3.ts';
import { fingerprint, sftpTarget } from './sftp.ts';
import { TargetError, type Target } from './types.ts';

const key = 'targets test key, long enough for the rules!';
const now = () => new Date();
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kefu-targets-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** What every target must do: atomic objects, listing by prefix, missing objects as null. */
async function contract(t: Target) {
  expect(await t.get('snapshots/bak_0')).toBeNull();
  await t.put('chunks/ab/abc', Buffer.from('one'));
  await t.put('chunks/ab/abd', Buffer.from('two'));
  await t.put('snapshots/bak_1', Buffer.from('m'));
  await t.put('chunks/ab/abc', Buffer.from('one again'));
  expect((await t.get('chunks/ab/abc'))!.toString()).toBe('one again');
  expect(await t.list('chunks/')).toEqual(['chunks/ab/abc', 'chunks/ab/abd']);
  expect(await t.list('snapshots/')).toEqual(['snapshots/bak_1']);
  await t.remove('chunks/ab/abd');
  expect(await t.list('chunks/')).toEqual(['chunks/ab/abc']);
  await expect(t.put('../escape', Buffer.from('x'))).rejects.toThrow(TargetError);
}

describe('backup targets', { timeout: 120_000 }, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp('sqlite');
    await app.workspace('shop');
  });
  afterAll(async () => app?.close());

  async function backupAndRestore(target: Target) {
    const repo = await openRepo(target, key, { create: true, now: now() });
    const m = await createBackup(await sourceOf(app.s), repo, { now, reason: 'manual' });
    expect((await verifyRepo(repo)).ok).toBe(true);
    const folder = join(tmp(), 'data');
    const r = await restoreBackup(repo, m, { folder }, { now });
    expect(r.tables.workspaces).toBe(1);
    return { repo, m };
  }

  it('a local folder', async () => {
    await contract(localTarget(tmp()));
    await backupAndRestore(localTarget(tmp()));
  });

  describe('SFTP against a real OpenSSH server', () => {
    let sshd: Sshd;
    const targets: Target[] = [];
    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterEach(async () => {
      for (const t of targets.splice(0)) await t.close();
    });
    afterAll(async () => sshd?.stop());
    const open = async (path: string, hostKey: string | null, onPin?: (fp: string) => Promise<void>) => {
      const t = await sftpTarget({
        host: '127.0.0.1',
        port: sshd.port,
        username: sshd.username,
        privateKey: sshd.privateKey,
        path,
        hostKey,
        onPin,
      });
      targets.push(t);
      return t;
    };

    it('pins the host key on first use, accepts it after, and refuses a changed one', async () => {
      let pinned: string | null = null;
      const first = await open(join(sshd.root, 'a'), null, async (fp) => void (pinned = fp));
      const expected = fingerprint(
        Buffer.from(readFileSync(`${sshd.hostKeyFile}.pub`, 'utf8').split(' ')[1], 'base64'),
      );
      expect(pinned).toBe(expected);
      await contract(first);
      await open(join(sshd.root, 'a'), expected);
      await expect(open(join(sshd.root, 'a'), 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(
        /host key changed/,
      );
    });

    it('holds a backup that restores; a damaged chunk there does not stop a restore from a folder', async () => {
      const remote = join(sshd.root, 'kefu');
      const { m } = await backupAndRestore(await open(remote, null));
      const local = localTarget(tmp());
      const localRepo = await openRepo(local, key, { create: true, now: now() });
      const lm = await createBackup(await sourceOf(app.s), localRepo, { now, reason: 'manual' });
      // Damage one chunk on the SFTP server.
      const repo = await openRepo(await open(remote, null), key, { create: false, now: now() });
      const cid = m.files[0].chunks[0];
      const file = join(remote, 'chunks', cid.slice(0, 2), cid);
      const box = readFileSync(file);
      box[20] ^= 0xff;
      writeFileSync(file, box);
      const v = await verifyRepo(repo);
      expect(v.backups.map((b) => [b.id, b.ok])).toEqual([[m.id, false]]);
      await expect(restoreBackup(repo, m, { folder: join(tmp(), 'x') }, { now })).rejects.toThrow(
        /authentication failed/,
      );
      const r = await restoreBackup(localRepo, lm, { folder: join(tmp(), 'y') }, { now });
      expect(r.tables.workspaces).toBe(1);
    });

    it('a wrong login is one clear error', async () => {
      await expect(
        sftpTarget({
          host: '127.0.0.1',
          port: sshd.port,
          username: 'nobody-here',
          password: 'wrong',
          path: '/x',
          hostKey: null,
        }),
      ).rejects.toThrow(/cannot connect/);
    });
  });

  // A password login needs a system user with that password (root adds one); CI runs as root.
  describe.skipIf(!passwordLoginsRun && !process.env.CI)('SFTP with a password against a real OpenSSH server', () => {
    const password = 'sftp-test-Passw0rd-2026';
    let sshd: Sshd;
    let other: Sshd | undefined;
    const targets: Target[] = [];
    beforeAll(async () => {
      sshd = await startSshd({ password });
    });
    afterEach(async () => {
      for (const t of targets.splice(0)) await t.close();
    });
    afterAll(async () => {
      await sshd?.stop();
      await other?.stop();
    });
    const open = async (
      server: Sshd,
      secret: string,
      hostKey: string | null,
      onPin?: (fp: string) => Promise<void>,
    ) => {
      const t = await sftpTarget({
        host: '127.0.0.1',
        port: server.port,
        username: server.passwordUsername!,
        password: secret,
        path: join(sshd.root, 'kefu'),
        hostKey,
        onPin,
      });
      targets.push(t);
      return t;
    };

    it('backs up, lists and restores; pins the host key on first use and refuses a server with another key', async () => {
      let pinned: string | null = null;
      const first = await open(sshd, password, null, async (fp) => void (pinned = fp));
      const expected = fingerprint(
        Buffer.from(readFileSync(`${sshd.hostKeyFile}.pub`, 'utf8').split(' ')[1], 'base64'),
      );
      expect(pinned).toBe(expected);
      const { repo, m } = await backupAndRestore(first);
      // Listed from the server, in a new connection that checks the pinned key.
      const again = await openRepo(await open(sshd, password, expected), key, { create: false, now: now() });
      const { items } = await listBackups(again, policyOf({ daily: 7, weekly: 4, monthly: 12 }), 'Asia/Shanghai');
      expect(items.map((b) => [b.id, b.keep.includes('last')])).toEqual([[m.id, true]]);
      const restored = await restoreBackup(again, await again.manifest(m.id), { folder: join(tmp(), 'r') }, { now });
      expect(restored.tables.workspaces).toBe(1);
      expect((await verifyRepo(repo)).ok).toBe(true);

      // A wrong password is refused, in one line.
      await expect(open(sshd, 'not-the-password', expected)).rejects.toThrow(
        /: cannot connect: .*All configured authentication methods failed$/,
      );

      // Another server (its own host key) where the pinned one was: nothing is sent, the reason names both keys.
      other = await startSshd({ password });
      const offered = fingerprint(
        Buffer.from(readFileSync(`${other.hostKeyFile}.pub`, 'utf8').split(' ')[1], 'base64'),
      );
      expect(offered).not.toBe(expected);
      await expect(open(other, password, expected)).rejects.toThrow(
        `the server's host key changed (pinned ${expected}, offered ${offered})`,
      );
    });
  });

  describe('S3 against s3rver (an S3 emulator for tests)', () => {
    let server: S3Emulator;
    let endpoint: string;
    beforeAll(async () => {
      server = await startS3rver();
      endpoint = server.endpoint;
    });
    afterAll(async () => server?.close());
    const open = (prefix: string) =>
      s3Target({
        endpoint,
        region: 'us-east-1',
        bucket: 'kefu-backups',
        prefix,
        pathStyle: true,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      });

    it('holds a backup that restores, under a prefix', async () => {
      await contract(open('contract'));
      await backupAndRestore(open('kefu/prod'));
      expect((await open('kefu/other').list('snapshots/')).length).toBe(0);
    });

    it('an unknown access key or an unreachable endpoint is one clear error', async () => {
      const stranger = s3Target({
        endpoint,
        region: 'us-east-1',
        bucket: 'kefu-backups',
        prefix: 'p',
        pathStyle: true,
        accessKeyId: 'NOBODY',
        secretAccessKey: 'x',
      });
      await expect(stranger.list('snapshots/')).rejects.toThrow(TargetError);
      const nowhere = s3Target({
        endpoint: 'http://127.0.0.1:9',
        region: 'us-east-1',
        bucket: 'b',
        prefix: '',
        pathStyle: true,
        accessKeyId: 'a',
        secretAccessKey: 'b',
      });
      await expect(nowhere.put('config', Buffer.from('x'))).rejects.toThrow(
        /s3:\/\/b\/ at http:\/\/127.0.0.1:9: cannot write config/,
      );
    });
  });
});
