/**
 * Config as code: the example in docs/OPERATIONS.md applies through `kefu ops apply` (in-process,
 * on a fresh SQLite data folder), again without changes, with --dry-run, with --prune; bad files
 * report every problem with its path; export round-trips; PUT /api/ops/config takes the same
 * document; the built-in configuration is valid and applied once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../../cli/program.ts';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { defaultOpsConfig } from './defaults.ts';
import { applyOpsConfig, ensureDefaults, exportOpsConfig, parseOpsDocument } from './ops-config.ts';
import { parsePromql } from './promql/parse.ts';
import { own } from './schema.ts';

const docs = readFileSync(fileURLToPath(new URL('../../../../docs/OPERATIONS.md', import.meta.url)), 'utf8');
const example = /<!-- ops-example -->\n```yaml\n([\s\S]*?)```/.exec(docs)![1];

describe('kefu ops apply / export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-ops-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (...args: string[]) => {
    const r = { stdout: '', stderr: '' };
    const io = {
      env: { KEFU_LOG_LEVEL: 'silent' },
      cwd: dir,
      out: (t: string) => void (r.stdout += t),
      err: (t: string) => void (r.stderr += t),
      exitCode: 0,
    };
    const { code } = await runCli(['--data-dir', join(dir, 'data'), ...args], io);
    return { code, ...r };
  };

  it('applies the documented example idempotently, with a dry run, prune and export', async () => {
    writeFileSync(join(dir, 'ops.yaml'), example);
    // The example's component names the demo workspace: create it first.
    expect(
      (await run('workspace', 'create', '--name', 'Demo', '--slug', 'demo', '--admin-email', 'a@example.com')).code,
    ).toBe(0);
    const dry = await run('ops', 'apply', '--file', 'ops.yaml', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+ probe/shop-home');
    expect(dry.stdout).toMatch(/would apply: 11 created/);
    const first = await run('ops', 'apply', '--file', 'ops.yaml');
    expect(first.stdout).toMatch(/applied: 11 created, 0 updated, 0 deleted, 0 unchanged/);
    const again = await run('ops', 'apply', '--file', 'ops.yaml');
    expect(again.stdout).toMatch(/applied: 0 created, 0 updated, 0 deleted, 11 unchanged/);

    const exported = await run('ops', 'export');
    const doc = OpsConfig.parse(parse(exported.stdout));
    expect(doc.probes.map((p) => p.name).sort()).toEqual([
      'mail-relay',
      'mx',
      'nightly-backup',
      'order-api',
      'postgres',
      'redis',
      'shop-home',
    ]);
    expect(doc.probes.find((p) => p.name === 'mail-relay')).toMatchObject({ type: 'smtp', port: 587, starttls: true });
    expect(doc.components[0]).toMatchObject({ name: 'taobao_sync', workspaces: ['demo'] });
    const prom = await run('ops', 'export', '--prometheus', '--format', 'json');
    expect(Object.keys(JSON.parse(prom.stdout))).toEqual(['groups']);

    // Change one probe, drop the silence: updated, and pruned only with --prune.
    const edited = example
      .replace('interval: 30s\n    timeout: 10s', 'interval: 60s\n    timeout: 10s')
      .replace(/silences:[\s\S]*?maintenance:/, 'maintenance:');
    writeFileSync(join(dir, 'ops.yaml'), edited);
    const changed = await run('ops', 'apply', '--file', 'ops.yaml');
    expect(changed.stdout).toContain('~ probe/shop-home');
    expect(changed.stdout).not.toContain('- silence/db-migration');
    const pruned = await run('ops', 'apply', '--file', 'ops.yaml', '--prune');
    expect(pruned.stdout).toContain('- silence/db-migration');
  });

  it('reports every problem of a bad file with its path and exits 2', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'probes:\n  - name: x\n    type: http\n    url: ftp://nope\n    interval: 0s\ngroups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m]\n      - alert: B\n        expr: topk(3, x)\n',
    );
    const r = await run('ops', 'apply', '--file', 'bad.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: probes\.0\.url: /);
    expect(r.stderr).toMatch(/bad\.yaml: probes\.0\.interval: /);
    writeFileSync(
      join(dir, 'bad2.yaml'),
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m]\n      - alert: B\n        expr: topk(3, x)\n',
    );
    const r2 = await run('ops', 'apply', '--file', 'bad2.yaml');
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/groups\.0\.rules\.0\.expr: .*at character/);
    expect(r2.stderr).toMatch(/groups\.0\.rules\.1\.expr: .*topk/);
    writeFileSync(join(dir, 'bad3.yaml'), 'probes: [\n');
    const r3 = await run('ops', 'apply', '--file', 'bad3.yaml');
    expect([r3.code, r3.stderr]).toEqual([2, expect.stringMatching(/bad3\.yaml: line \d+/)]);
    expect((await run('ops', 'apply', '--file', 'missing.yaml')).code).toBe(2);
  });
});

describe('the built-in configuration', () => {
  it('is a valid document whose every expression parses', () => {
    const c = OpsConfig.parse(defaultOpsConfig('https://kefu.example.com'));
    expect(c.groups.flatMap((g) => g.rules).length).toBeGreaterThanOrEqual(12);
    for (const g of c.groups) for (const r of g.rules) expect(() => parsePromql(r.expr), r.expr).not.toThrow();
    expect(parseOpsDocument(JSON.stringify(c)).problems).toEqual([]);
  });
});

describe.each(engines)('ops config on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(engine);
  });
  afterAll(async () => t?.close());

  it('applies the defaults once, and takes the document through PUT /api/ops/config', async () => {
    const home = await t.workspace('home', { installationOwner: true });
    const defaults = OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:1'));
    expect((await ensureDefaults(t.s, defaults)).added).toContain('contract-p1/ChatEntryPointsDown');
    expect((await ensureDefaults(t.s, defaults)).added).toEqual([]);
    expect((await exportOpsConfig(t.s.db)).groups.map((g) => g.name)).toContain('contract-p1');

    const bad = await home.owner.request({
      method: 'PUT',
      url: '/api/ops/config',
      payload: { probes: [{ name: 'x', type: 'tcp' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_config');
    expect(bad.json().error.message).toMatch(/probes\.0\.host/);
    const doc = { probes: [{ name: 'x', type: 'tcp', host: '127.0.0.1', port: 1 }] };
    const dry = await home.owner.request({
      method: 'PUT',
      url: '/api/ops/config?dryRun=true&prune=true',
      payload: doc,
    });
    expect(dry.json().created).toEqual(['probe/x']);
    expect(dry.json().deleted).toContain('group/contract-p1');
    expect((await exportOpsConfig(t.s.db)).probes.map((p) => p.name)).not.toContain('x');
    const real = await home.owner.request({ method: 'PUT', url: '/api/ops/config', payload: doc });
    expect(real.statusCode).toBe(200);
    expect((await home.owner.get('/api/ops/config')).json().probes.map((p: { name: string }) => p.name)).toContain('x');
    expect(await applyOpsConfig(t.s, OpsConfig.parse(doc))).toMatchObject({ unchanged: ['probe/x'] });

    const q = await home.owner.post('/api/ops/query', { expr: 'vector(1) + 1' });
    expect(q.json()).toMatchObject({ resultType: 'vector', result: [{ labels: {}, value: 2 }] });
    const badQ = await home.owner.post('/api/ops/query', { expr: 'rate(' });
    expect([badQ.statusCode, badQ.json().error.message]).toEqual([400, expect.stringMatching(/at character/)]);
    const unknown = await home.owner.post('/api/ops/query', { expr: 'no_such_metric' });
    expect(unknown.json().unknownMetrics).toEqual(['no_such_metric']);
  });

  it('adds the built-in rules a newer release brings on start, but never one a user deleted', async () => {
    const db = own(t.s.db);
    await db.deleteFrom('monitoring_config').execute();
    const defaults = OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:1'));
    const at = new Date().toISOString();
    // An installation first started by the first release: its marker has no record of offered rules,
    // it got the first release's groups, and someone deleted capacity/MemoryLow and made their own
    // backups/BackupFailed before upgrading.
    await db
      .insertInto('monitoring_config')
      .values({ kind: 'meta', name: 'defaults', definition: '{}', position: 0, created_at: at, updated_at: at })
      .execute();
    const firstRelease = ['contract-p1', 'contract-p2', 'contract-p3', 'capacity'];
    const old = defaults.groups
      .filter((g) => firstRelease.includes(g.name))
      .map((g) => ({
        ...g,
        rules: g.rules.filter((r) => !['ReportOverdue', 'MemoryLow'].includes(r.alert)),
      }));
    const own1 = { alert: 'BackupFailed', expr: 'vector(0) > 1', labels: { severity: 'P3' } };
    await applyOpsConfig(t.s, OpsConfig.parse({ groups: [...old, { name: 'backups', rules: [own1] }] }));

    expect((await ensureDefaults(t.s, defaults)).added.sort()).toEqual([
      'backups/BackupNotVerified',
      'capacity/ReportOverdue',
    ]);
    const groups = async () => new Map((await exportOpsConfig(t.s.db)).groups.map((g) => [g.name, g]));
    let now = await groups();
    expect(now.get('capacity')!.rules.map((r) => r.alert)).toContain('ReportOverdue');
    expect(now.get('capacity')!.rules.map((r) => r.alert)).not.toContain('MemoryLow');
    expect(now.get('backups')!.rules.find((r) => r.alert === 'BackupFailed')!.expr).toBe(own1.expr);
    expect((await ensureDefaults(t.s, defaults)).added).toEqual([]);

    // Deleted after the upgrade (the whole group, too): it stays deleted on the next start.
    const capacity = now.get('capacity')!;
    await applyOpsConfig(
      t.s,
      OpsConfig.parse({ groups: [{ ...capacity, rules: capacity.rules.filter((r) => r.alert !== 'ReportOverdue') }] }),
    );
    await db.deleteFrom('monitoring_config').where('kind', '=', 'group').where('name', '=', 'backups').execute();
    expect((await ensureDefaults(t.s, defaults)).added).toEqual([]);
    now = await groups();
    expect(now.get('capacity')!.rules.map((r) => r.alert)).not.toContain('ReportOverdue');
    expect(now.has('backups')).toBe(false);

    // A later release with one more rule in a group that is gone, and one in a group that is there.
    const newer = OpsConfig.parse({
      ...defaults,
      groups: defaults.groups.map((g) =>
        g.name === 'backups' || g.name === 'capacity'
          ? { ...g, rules: [...g.rules, { alert: `New${g.name}`, expr: 'vector(1) > 2' }] }
          : g,
      ),
    });
    expect((await ensureDefaults(t.s, newer)).added.sort()).toEqual(['backups/Newbackups', 'capacity/Newcapacity']);
    now = await groups();
    expect(now.get('backups')!.rules.map((r) => r.alert)).toEqual(['Newbackups']);
    expect(now.get('capacity')!.rules.at(-1)!.alert).toBe('Newcapacity');
  });
});
