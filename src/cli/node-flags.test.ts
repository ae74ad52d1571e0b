import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCacheEnv, startKefuProcess } from '../server/testing/spawn.ts';
import { serverNodeFlags } from '../../bin/node-flags.js';

const start = { args: ['start', '--port', '3000'], env: {}, cores: 2, present: [] };

describe('serverNodeFlags', () => {
  it('adds nothing on several cores, or for commands other than start', () => {
    expect(serverNodeFlags(start)).toEqual({ flags: [] });
    expect(serverNodeFlags({ ...start, args: ['migrate'], cores: 1 })).toEqual({ flags: [] });
  });

  it('runs the GC on the main thread when the process has one core, unless told otherwise', () => {
    expect(serverNodeFlags({ ...start, cores: 1 })).toEqual({ flags: ['--single-threaded-gc'] });
    expect(serverNodeFlags({ ...start, cores: 1, env: { KEFU_GC: 'parallel' } })).toEqual({ flags: [] });
    expect(serverNodeFlags({ ...start, cores: 8, env: { KEFU_GC: 'single' } })).toEqual({
      flags: ['--single-threaded-gc'],
    });
  });

  it('caps the old generation from KEFU_HEAP_MB and refuses a bad value', () => {
    expect(serverNodeFlags({ ...start, env: { KEFU_HEAP_MB: '512' } })).toEqual({
      flags: ['--max-old-space-size=512'],
    });
    expect(serverNodeFlags({ ...start, env: { KEFU_HEAP_MB: '64' } })).toHaveProperty('error');
    expect(serverNodeFlags({ ...start, env: { KEFU_HEAP_MB: '1g' } })).toHaveProperty('error');
    expect(serverNodeFlags({ ...start, env: { KEFU_GC: 'fast' } })).toHaveProperty('error');
  });

  it('does not repeat a flag the process already has (no second re-execution)', () => {
    const present = ['--single-threaded-gc', '--max-old-space-size=300'];
    expect(serverNodeFlags({ ...start, cores: 1, env: { KEFU_HEAP_MB: '512' }, present })).toEqual({ flags: [] });
  });
});

describe('bin/kefu.js start', () => {
  const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-node-flags-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, ...nodeCacheEnv(), KEFU_LOG_LEVEL: 'warn', KEFU_ADMIN_PASSWORD: 'flags-test-password' };

  it('re-executes itself, same process, with the GC on its main thread and the heap cap when confined to one core', async () => {
    // `taskset -c 0` (startKefuProcess's `cpu`) exec()s node, which exec()s itself again: one process id throughout.
    const k = await startKefuProcess({ dataDir, cpu: 0, env: { KEFU_HEAP_MB: '768' } });
    try {
      const cmdline = readFileSync(`/proc/${k.proc.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain('--single-threaded-gc');
      expect(cmdline).toContain('--max-old-space-size=768');
      expect(cmdline.filter((a) => a === '--single-threaded-gc')).toHaveLength(1);
    } finally {
      await k.stop();
    }
  }, 180_000);

  it('refuses a bad KEFU_HEAP_MB with a clear message before starting anything', () => {
    const r = spawnSync(process.execPath, [bin, 'start', '--data-dir', dataDir], {
      env: { ...env, KEFU_HEAP_MB: 'lots' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('KEFU_HEAP_MB must be a whole number of MiB');
  });
});
