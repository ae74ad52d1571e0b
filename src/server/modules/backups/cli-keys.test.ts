/**
 * The backup key's rules (issue 13), through the real `kefu` command line: a passphrase under 32
 * characters is refused (one line, exit 2, nothing at the target); `backupKey` in the config file
 * is the key (a backup made with it opens with the same key and no other); the start-up banner
 * of a started process says backups are OFF without a key; and neither the backup key nor any
 * key derived from it (scrypt's master key, HKDF's subkeys) is in any file of a target.
 */
import { spawn } from 'node:child_process';
import { hkdfSync, scryptSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outputOf } from '../../testing/cli.ts';
import { baseEnv, processTimeout, sandbox, workspace } from './cli-testing.ts';

const kefu = fileURLToPath(new URL('../../../../bin/kefu.js', import.meta.url));

function failedWith(r: { code: number | null; stdout: string; stderr: string }, reason: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toEqual([expect.stringMatching(reason), '']);
}

/** Every file under `dir`, recursively. */
function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesIn(p) : [p];
  });
}

/** The byte strings a leaked key would show up as: raw, hex, base64, base64url. */
const encodings = (b: Buffer) => [
  b,
  ...(['hex', 'base64', 'base64url'] as const).map((e) => Buffer.from(b.toString(e))),
];

/** The backup key and what the target's keys derive from it (as crypto.ts does), in every encoding. */
function secretsOf(backupKey: string, folder: string): Buffer[] {
  const salt = Buffer.from(
    (JSON.parse(readFileSync(join(folder, 'config'), 'utf8')) as { salt: string }).salt,
    'base64',
  );
  const master = scryptSync(backupKey.normalize('NFC'), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 });
  const sub = ['chunk-id', 'chunk', 'json', 'check'].map((i) =>
    Buffer.from(hkdfSync('sha256', master, salt, `kefu-backup:${i}`, 32)),
  );
  const raw = Buffer.from(backupKey);
  const decoded = /^[\w-]{43}$/.test(backupKey) ? [Buffer.from(backupKey, 'base64url')] : [];
  return [raw, Buffer.from(backupKey, 'utf16le'), ...decoded, master, ...sub].flatMap(encodings);
}

describe('the backup key on the command line', () => {
  it(
    'a passphrase under 32 characters is refused; backupKey in the config file is the key',
    async () => {
      const { dir, run } = sandbox();
      const data = ['--data-dir', join(dir, 'data')];
      await workspace(run, data);
      const to = (name: string) => ['backup', '--to', join(dir, name), '--json'];

      failedWith(await run([...data, ...to('none')]), /^kefu: no backup key: .*kefu backup key init/);
      failedWith(
        await run([...data, ...to('short')], { KEFU_BACKUP_KEY: 'x'.repeat(31) }),
        /^kefu: invalid configuration: backupKey: at least 32 characters .*KEFU_BACKUP_KEY/,
      );
      expect(existsSync(join(dir, 'short'))).toBe(false);

      writeFileSync(join(dir, 'kefu.config.json'), JSON.stringify({ backupKey: 'y'.repeat(31) }));
      failedWith(
        await run([...data, ...to('short')]),
        /^kefu: invalid configuration: backupKey: at least 32 characters .*kefu\.config\.json/,
      );
      expect(existsSync(join(dir, 'short'))).toBe(false);

      // Exactly 32 characters, from the config file only.
      const passphrase = 'a config-file passphrase 32 char';
      expect(passphrase).toHaveLength(32);
      writeFileSync(join(dir, 'kefu.config.json'), JSON.stringify({ backupKey: passphrase }));
      const b = await run([...data, ...to('b')]);
      expect([b.code, b.stderr]).toEqual([0, '']);
      const id = (JSON.parse(b.stdout) as { id: string }).id;
      // The backup is under that key: the same key given another way opens it, another key does not.
      const list = ['--config', join(dir, 'nothing.json'), 'backup', 'list', '--from', join(dir, 'b'), '--json'];
      writeFileSync(join(dir, 'nothing.json'), '{}');
      const listed = await run(list, { KEFU_BACKUP_KEY: passphrase });
      expect([listed.code, listed.stderr]).toEqual([0, '']);
      expect((JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([id]);
      failedWith(await run(list, { KEFU_BACKUP_KEY: 'z'.repeat(32) }), /^kefu: wrong backup key for folder /);
    },
    processTimeout,
  );

  it(
    'the start-up banner of a started process says backups are OFF without a key, and not with one',
    async () => {
      const { dir } = sandbox();
      const start = async (env: NodeJS.ProcessEnv) => {
        const child = spawn(
          process.execPath,
          [
            kefu,
            'start',
            '--no-build',
            '--roles',
            'web',
            '--port',
            '0',
            '--host',
            '127.0.0.1',
            '--data-dir',
            join(dir, 'data'),
          ],
          { cwd: dir, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const out = outputOf(child);
        let seen = '';
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (d: Buffer) => {
            seen += d.toString();
            if (/Kefu is running: http:\/\/127\.0\.0\.1:[1-9]/.test(seen) && seen.includes('\n\n')) resolve();
          });
          void out.then((r) => reject(new Error(`kefu start exited: ${r.stdout}\n${r.stderr}`)));
        });
        child.kill('SIGTERM');
        return (await out).stdout;
      };
      const off = await start({});
      expect(off).toMatch(
        /^ {4}Backups: {4}OFF \(no backup key; create one with `kefu backup key init`, set KEFU_BACKUP_KEY\)$/m,
      );
      const on = await start({ KEFU_BACKUP_KEY: 'b'.repeat(40) });
      expect(on).toContain('Kefu is running');
      expect(on).not.toMatch(/Backups:/);
    },
    processTimeout,
  );

  it(
    'no file of a target holds the backup key or a key derived from it (a passphrase, a generated key)',
    async () => {
      const { dir, run } = sandbox();
      const data = ['--data-dir', join(dir, 'data')];
      await workspace(run, data);
      const init = await run(['backup', 'key', 'init']);
      const generated = init.stdout.split('\n')[0];
      expect(generated).toMatch(/^[\w-]{43}$/);
      for (const [name, backupKey] of [
        ['passphrase', 'correct horse battery staple, a passphrase'],
        ['generated', generated],
      ]) {
        const folder = join(dir, name);
        for (let i = 0; i < 2; i++) {
          const b = await run([...data, 'backup', '--to', folder], { KEFU_BACKUP_KEY: backupKey });
          expect([b.code, b.stderr]).toEqual([0, '']);
        }
        const files = filesIn(folder);
        expect(files.filter((f) => f.includes('/chunks/')).length).toBeGreaterThan(0);
        const secrets = secretsOf(backupKey, folder);
        const leaks = files.flatMap((f) => {
          const bytes = readFileSync(f);
          return secrets.filter((s) => bytes.includes(s)).map((s) => `${f}: ${s.toString('hex').slice(0, 16)}…`);
        });
        expect(leaks).toEqual([]);
        // The scan finds what is there: the salt the keys were derived with is in the target's config.
        const salt = (JSON.parse(readFileSync(join(folder, 'config'), 'utf8')) as { salt: string }).salt;
        expect(files.filter((f) => readFileSync(f).includes(Buffer.from(salt)))).toEqual([join(folder, 'config')]);
      }
    },
    processTimeout,
  );
});
