/**
 * Restore drills against real databases: per table the row count AND the checksum of its rows are
 * compared with the manifest; a drill on an intact backup passes, starts Kefu READ-ONLY on the
 * sandbox (its /readyz answers 200, it refuses a write, the sandbox is unchanged after it); a
 * manifest whose checksum differs fails naming exactly that table; a row changed in a restored
 * sandbox changes its table's checksum while its count stays; a manifest from before checksums
 * still drills (counts only, checksums "unavailable").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../lib/logger.ts';
import { closeServices, createServices } from '../../services.ts';
import { allTables, engines, pgUrl, testApp, type TestApp } from '../../testing/harness.ts';
import { compareTables, runDrill } from './drill.ts';
import { createBackup } from './engine.ts';
import { openRepo, type Repo } from './repo.ts';
import { restoreBackup } from './restore.ts';
import { checksumPgTables } from './snapshot.ts';
import { sourceOf } from './source.ts';
import { checksumSqliteTables, countSqliteRows } from './sqlite-rows.ts';
import { localTarget } from './targets/local.ts';
import { scratchDatabase } from '../../testing/pg-database.ts';

const key = 'drill key: long enough to be accepted as a passphrase';
const now = () => new Date();
const hex64 = /^[0-9a-f]{64}$/;

describe.each(engines)('restore drill on %s', (engine) => {
  let t: TestApp;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await t?.close();
  });
  const tmp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const drill = (repo: Repo, probe: boolean) =>
    runDrill(repo, { now, databaseUrl: engine === 'postgres' ? pgUrl : undefined, probe, probeLimitMs: 150_000 });

  async function backedUp() {
    t = await testApp(engine);
    const { owner } = await t.workspace('shop');
    for (let i = 0; i < 3; i++)
      expect(
        (await owner.post('/api/users', { email: `a${i}@example.com`, name: `坐席${i}`, role: 'agent' })).statusCode,
      ).toBeLessThan(300);
    const repo = await openRepo(localTarget(tmp('kefu-target-')), key, { create: true, now: now() });
    const m = await createBackup(await sourceOf(t.s), repo, { now, reason: 'manual' });
    return { repo, m };
  }

  it('an intact backup passes: counts and checksums match per table; Kefu starts read-only on the sandbox', async () => {
    const { repo, m } = await backedUp();
    expect(Object.keys(m.checksums!).sort()).toEqual(Object.keys(m.tables).sort());
    for (const sum of Object.values(m.checksums!)) expect(sum).toMatch(hex64);
    const r = await drill(repo, true);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checksums).toBe('compared');
    expect(r.tables.length).toBe(Object.keys(m.tables).length);
    const users = r.tables.find((x) => x.name === 'users')!;
    expect(users).toEqual({
      name: 'users',
      expected: m.tables.users,
      restored: m.tables.users,
      expectedChecksum: m.checksums!.users,
      restoredChecksum: m.checksums!.users,
      ok: true,
    });
    expect(r.tables.every((x) => x.ok && x.restoredChecksum === x.expectedChecksum)).toBe(true);
    // The instance on the sandbox answered /readyz with 200, refused a write, changed nothing.
    expect(r.sandbox).toEqual({ readOnly: true, readyzStatus: 200, writeRefused: true, unchanged: true });
    expect(r.rtoMs).toBeGreaterThan(r.restoreMs!);
  }, 240_000);

  it('a manifest whose checksum differs fails the drill naming that table; one without checksums drills on counts', async () => {
    const { repo, m } = await backedUp();
    const altered = { ...m, checksums: { ...m.checksums!, users: '0'.repeat(64) } };
    await repo.putManifest(altered);
    const r = await drill(repo, false);
    expect(r.ok).toBe(false);
    expect(r.tables.filter((x) => !x.ok).map((x) => x.name)).toEqual(['users']);
    const users = r.tables.find((x) => x.name === 'users')!;
    expect(users).toMatchObject({ expected: m.tables.users, restored: m.tables.users, ok: false });
    expect(users.expectedChecksum).toBe('0'.repeat(64));
    expect(users.restoredChecksum).toBe(m.checksums!.users);
    expect(r.problems).toEqual([
      `table users differs from the backup: row checksum ${m.checksums!.users.slice(0, 12)} restored, 000000000000 backed up`,
    ]);
    expect(r.rtoMs).toBeNull();

    // A backup made before manifests recorded checksums: counts only, and the report says so.
    const { checksums: _dropped, ...old } = m;
    await repo.putManifest(old);
    const o = await drill(repo, false);
    expect(o.problems).toEqual([]);
    expect(o).toMatchObject({ ok: true, checksums: 'unavailable' });
    expect(o.tables.find((x) => x.name === 'users')).toEqual({
      name: 'users',
      expected: m.tables.users,
      restored: m.tables.users,
      expectedChecksum: null,
      restoredChecksum: null,
      ok: true,
    });
  }, 240_000);

  it('one row changed in a restored sandbox changes its table checksum, not its count; read-only services refuse writes', async () => {
    const { repo, m } = await backedUp();
    const folder = join(tmp('kefu-drill-sandbox-'), 'data');
    let dbUrl: string | undefined;
    if (engine === 'postgres') {
      const db = await scratchDatabase('kefu_drill_t');
      dbUrl = db.url;
      cleanups.push(db.drop);
    }
    const restored = await restoreBackup(repo, m, { folder, databaseUrl: dbUrl }, { now, checksums: true });
    expect(restored.checksums).toEqual(m.checksums);

    const flags = { dataDir: folder, databaseUrl: dbUrl, logLevel: 'silent' as const, demo: false };
    const ro = createServices(loadConfig({ env: {}, flags: { ...flags, readOnly: true } }).config, {
      log: createLogger('silent'),
    });
    try {
      expect((await allTables(ro).selectFrom('users').select('id').execute()).length).toBe(m.tables.users);
      await expect(allTables(ro).updateTable('users').set({ name: '篡改' }).execute()).rejects.toThrow(/read.?only/i);
    } finally {
      await closeServices(ro);
    }
    const rw = createServices(loadConfig({ env: {}, flags }).config, { log: createLogger('silent') });
    try {
      const one = await allTables(rw).selectFrom('users').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
      await allTables(rw).updateTable('users').set({ name: '篡改的名字' }).where('id', '=', one.id).execute();
    } finally {
      await closeServices(rw);
    }
    let after: { tables: Record<string, number>; checksums: Record<string, string> };
    if (engine === 'sqlite') {
      const file = join(folder, 'kefu.db');
      after = { tables: countSqliteRows(file), checksums: checksumSqliteTables(file) };
    } else {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      try {
        const schema = m.pgSchema!;
        const tables: Record<string, number> = {};
        for (const name of Object.keys(m.tables))
          tables[name] = Number((await c.query(`select count(*)::int as n from "${schema}"."${name}"`)).rows[0].n);
        after = { tables, checksums: await checksumPgTables(c, schema) };
      } finally {
        await c.end();
      }
    }
    const compared = compareTables(m, after);
    expect(compared.tables.filter((x) => !x.ok).map((x) => x.name)).toEqual(['users']);
    expect(compared.tables.find((x) => x.name === 'users')).toMatchObject({
      expected: m.tables.users,
      restored: m.tables.users,
      ok: false,
    });
    expect(compared.problems).toHaveLength(1);
    expect(compared.problems[0]).toMatch(/^table users differs from the backup: row checksum [0-9a-f]{12} restored/);
  }, 240_000);
});
