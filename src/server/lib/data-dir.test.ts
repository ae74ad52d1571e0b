/**
 * The data folder is the Kefu account's alone (issue #9, finding 13): created 0700 with the
 * SQLite file, its WAL and SHM, the generated key and uploads 0600; `kefu doctor` names whatever
 * it finds readable by others.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { permissionsCheck } from '../../cli/commands/doctor.ts';
import { loadConfig } from '../config.ts';
import { closeServices, createServices, prepare } from '../services.ts';
import { createLogger } from './logger.ts';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('the data folder', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is created owner-only, with every file in it owner-only, and doctor warns about anything looser', async () => {
    root = mkdtempSync(join(tmpdir(), 'kefu-modes-'));
    const dataDir = join(root, 'srv', 'kefu');
    const { config } = loadConfig({ env: {}, flags: { dataDir, demo: false, logLevel: 'silent' } });
    const s = createServices(config, { log: createLogger('silent') });
    try {
      await prepare(s);
      await s.blobs.put('attachments/ws_1/att_1', Readable.from([Buffer.from('hello')]), 100);
      const files = ['kefu.db', 'kefu.db-wal', 'kefu.db-shm', 'secret.key', 'attachments/ws_1/att_1'];
      for (const f of files) expect(existsSync(join(dataDir, f)), f).toBe(true);
      expect(
        Object.fromEntries(
          [dataDir, join(dataDir, 'attachments'), join(dataDir, 'attachments/ws_1')].map((d) => [d, mode(d)]),
        ),
      ).toEqual({
        [dataDir]: '700',
        [join(dataDir, 'attachments')]: '700',
        [join(dataDir, 'attachments/ws_1')]: '700',
      });
      for (const f of files) expect(mode(join(dataDir, f)), f).toBe('600');
      expect(permissionsCheck(dataDir)).toMatchObject({ ok: true });

      chmodSync(dataDir, 0o755);
      chmodSync(join(dataDir, 'kefu.db'), 0o644);
      const warned = permissionsCheck(dataDir);
      expect(warned).toMatchObject({ ok: false, warn: true, what: 'data permissions' });
      expect(warned.detail).toContain(`${dataDir} (0755)`);
      expect(warned.detail).toContain(`${join(dataDir, 'kefu.db')} (0644)`);
      expect(warned.detail).toContain(`chmod -R go-rwx ${dataDir}`);
    } finally {
      await closeServices(s);
    }
  });
});
