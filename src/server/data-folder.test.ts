/**
 * The data folder holds uploads, backups and (without KEFU_SECRET_KEY) the key; /readyz checks its
 * disk. With PostgreSQL and a given key nothing else created it, so /readyz stayed 503 (ENOENT)
 * forever: the server now creates it at start on every engine.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createLogger } from './lib/logger.ts';
import { closeServices, createServices, prepare } from './services.ts';
import { engines, testEnv, type TestEnv } from './testing/harness.ts';

describe.each(engines)('the data folder on %s', (engine) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('is created at start, with the secret key given, so the server becomes ready', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kefu-datadir-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const dataDir = join(root, 'not', 'yet');
    const env: TestEnv = await testEnv(engine, { dataDir });
    cleanups.push(() => env.cleanup());
    expect(env.config.secretKey).toBeTruthy();
    expect(existsSync(dataDir)).toBe(false);
    const s = createServices(env.config, { log: createLogger('silent'), pgSchema: env.pgSchema });
    cleanups.push(() => closeServices(s));
    await prepare(s);
    const app = await buildApp(s, { serveConsole: false });
    cleanups.push(() => app.close());
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json().checks['disk:free'][0].status).toBe('pass');
    expect(existsSync(dataDir)).toBe(true);
  });
});
