/**
 * The series writer's thread and the process's life: a process whose last work is closing the
 * writer (a CLI closing its services) ends normally once the thread has ended, not with exit 13
 * ("unsettled top-level await") because the idle thread was unref'd while it was awaited.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../testing/harness.ts';

describe('the monitoring series writer thread', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it('lets a process that closes it as its last work end normally', async () => {
    t = await testApp('sqlite');
    const file = join(t.s.config.dataDir, 'kefu.db');
    const writer = new URL('./series-writer.ts', import.meta.url).href;
    const script = `
      const { sqliteSeriesWriter } = await import(${JSON.stringify(writer)});
      const w = sqliteSeriesWriter(${JSON.stringify(file)});
      await w.prune({ raw: 0, minute: 0, hour: 0 });
      await w.close();
      console.log('closed');`;
    const main = join(t.s.config.dataDir, 'close-writer.mjs');
    writeFileSync(main, script);
    const r = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toContain('unsettled');
    expect(r.stderr).toBe('');
    expect({ status: r.status, stdout: r.stdout.trim() }).toEqual({ status: 0, stdout: 'closed' });
  });
});
