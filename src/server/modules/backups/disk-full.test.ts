/**
 * A full disk at the target, on the command line, with a real 2 MiB tmpfs: `kefu backup --to` it
 * fails with one line and exit 2, leaves no temp file and lists nothing; the next backup to a
 * roomier folder works and verifies. (The alert it raises: alerts.test.ts, with a real process.)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/program.ts';
import { nodeCacheEnv } from '../../testing/spawn.ts';
import { smallTmpfs, tmpfsTestsRun } from '../../testing/tmpfs.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function env(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('KEFU_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL') out[k] = v;
  return {
    ...out,
    ...nodeCacheEnv(),
    KEFU_LOG_LEVEL: 'silent',
    KEFU_ADMIN_PASSWORD: 'disk-full-admin-password',
    KEFU_BACKUP_KEY: 'disk full test backup key, long enough',
  };
}

const files = (d: string): string[] =>
  readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [n]));

describe.skipIf(!tmpfsTestsRun)('a full disk at the target', () => {
  it('fails the backup in one line with exit 2, lists nothing, and the next backup to a roomier place works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-bk-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const full = smallTmpfs(2048);
    cleanups.push(() => full.unmount());
    const run = async (args: string[]) => {
      const r = { stdout: '', stderr: '' };
      const { code } = await runCli(['--data-dir', join(dir, 'data'), ...args], {
        env: env(),
        cwd: dir,
        out: (t: string) => void (r.stdout += t),
        err: (t: string) => void (r.stderr += t),
        exitCode: 0,
      });
      return { code, ...r };
    };
    // A fresh installation plus 3 MiB of files that do not compress: more than the target holds.
    expect((await run(['migrate'])).code).toBe(0);
    mkdirSync(join(dir, 'data', 'attachments'), { recursive: true });
    writeFileSync(join(dir, 'data', 'attachments', 'scans.bin'), randomBytes(3 * 1048576));

    const failed = await run(['backup', '--to', full.dir, '--json']);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^kefu: the target is full: no space left in \S+ \(writing [\w/]+\)\n$/);
    // Chunks written before the disk filled stay for the next run to reuse; no temp file, no manifest, no lock.
    const left = files(full.dir);
    expect(left.filter((n) => n.endsWith('.tmp') || n.startsWith('bak_') || n.startsWith('lck_'))).toEqual([]);
    expect(JSON.parse((await run(['backup', 'list', '--from', full.dir, '--json'])).stdout)).toEqual({ items: [] });
    // The installation's own data folder keeps no work files from the failed run.
    expect(readdirSync(join(dir, 'data'))).not.toContain('.backup-work');

    const roomy = join(dir, 'roomy');
    const ok = await run(['backup', '--to', roomy, '--json']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    const m = JSON.parse(ok.stdout) as { id: string; bytes: number };
    expect(m.bytes).toBeGreaterThan(3 * 1048576);
    const listed = JSON.parse((await run(['backup', 'list', '--from', roomy, '--json'])).stdout) as {
      items: { id: string }[];
    };
    expect(listed.items.map((i) => i.id)).toEqual([m.id]);
    expect((await run(['backup', 'verify', '--from', roomy])).code).toBe(0);
  }, 180_000);
});
