/**
 * bin/kefu.js on an older system Node re-runs itself on the pinned Node: killing the wrapper
 * with kill -9 must not leave the real server running (issue #8, item 9).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, nodeCacheEnv } from '../server/testing/spawn.ts';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
// The system's Node (older than 24 here) is what makes the wrapper re-run itself.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find(
  (p) => existsSync(p) && Number(execFileSync(p, ['-p', 'process.versions.node']).toString().split('.')[0]) < 24,
);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !existsSync(`/proc/${pid}/stat`) || !/\) Z /.test(execFileSync('cat', [`/proc/${pid}/stat`]).toString());
  } catch {
    return false;
  }
};

describe.runIf(Boolean(systemNode))('bin/kefu.js on an older Node', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-wrapper-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops the real server when the wrapper is killed with kill -9', async () => {
    const port = await freePort();
    const wrapper = spawn(
      systemNode!,
      [bin, 'start', '--no-build', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
      {
        env: {
          ...process.env,
          ...nodeCacheEnv(),
          KEFU_LOG_LEVEL: 'warn',
          KEFU_ADMIN_PASSWORD: 'wrapper-test-password',
        },
        stdio: 'ignore',
      },
    );
    let child = 0;
    try {
      await expect
        .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status, {
          timeout: 120_000,
          interval: 100,
        })
        .toBe(200);
      child = Number(
        execFileSync('ps', ['-o', 'pid=', '--ppid', String(wrapper.pid)])
          .toString()
          .trim()
          .split(/\s+/)[0],
      );
      expect(child).toBeGreaterThan(0);
      wrapper.kill('SIGKILL');
      await expect.poll(() => alive(child), { timeout: 20_000, interval: 100 }).toBe(false);
      expect(await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => 'refused')).toBe('refused');
    } finally {
      wrapper.kill('SIGKILL');
      if (child && alive(child)) process.kill(child, 'SIGKILL');
    }
  }, 180_000);
});
